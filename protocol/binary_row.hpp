#pragma once
// A row of a binary-protocol result set (COM_STMT_EXECUTE / COM_STMT_FETCH): header 0x00, a NULL bitmap with
// a 2-bit offset, then each non-NULL value laid out by its column type.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/column_type.hpp"
#include "protocol/result.hpp"

namespace sluice::protocol {

inline constexpr std::uint8_t kBinaryRowHeader = 0x00;

struct BinaryValue {
    ColumnType type = ColumnType::null;
    std::string bytes;  // binary_value.hpp layout

    bool operator==(const BinaryValue&) const = default;
};

struct BinaryRow {
    std::vector<std::optional<BinaryValue>> values;  // nullopt is SQL NULL

    static Result<BinaryRow> parse(ByteReader& r, Capabilities caps, std::span<const ColumnType> types);
    void write(ByteWriter& w, Capabilities caps) const;

    bool operator==(const BinaryRow&) const = default;
};

}  // namespace sluice::protocol
