#pragma once
// A row of a text-protocol result set: one length-encoded string per column, 0xFB for NULL.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/result.hpp"

namespace sluice::protocol {

using TextValue = std::optional<std::string>;  // nullopt is SQL NULL

struct TextRow {
    std::vector<TextValue> values;

    static Result<TextRow> parse(ByteReader& r, Capabilities caps, std::size_t column_count);
    void write(ByteWriter& w, Capabilities caps) const;

    bool operator==(const TextRow&) const = default;
};

}  // namespace sluice::protocol
