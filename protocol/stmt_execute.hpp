#pragma once
// COM_STMT_EXECUTE: statement id, flags (cursor type), iteration count, then, when the statement has
// parameters, a NULL bitmap, the "new parameters bound" flag, the parameter types (only when that flag is
// set) and the non-NULL values in the binary protocol. The parameter count is not on the wire: it comes from
// the statement's PREPARE_OK, and when types are not resent they come from the previous execute.

#include <cstddef>
#include <cstdint>
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

namespace cursor {
inline constexpr std::uint8_t kNoCursor = 0x00;
inline constexpr std::uint8_t kReadOnly = 0x01;
inline constexpr std::uint8_t kForUpdate = 0x02;
inline constexpr std::uint8_t kScrollable = 0x04;
}  // namespace cursor

// MariaDB: statement id -1 means "the statement prepared last", for prepare+execute sent in one batch.
inline constexpr std::uint32_t kLastPreparedStatement = 0xFFFFFFFF;

struct ParamType {
    ColumnType type = ColumnType::null;
    bool is_unsigned = false;

    bool operator==(const ParamType&) const = default;
};

inline constexpr std::uint8_t kParamUnsignedFlag = 0x80;

struct ComStmtExecute {
    std::uint32_t statement_id = 0;
    std::uint8_t flags = cursor::kNoCursor;
    std::uint32_t iteration_count = 1;
    bool new_params_bound = true;
    std::vector<ParamType> types;                    // one per parameter (the bound ones if not resent)
    std::vector<std::optional<std::string>> values;  // one per parameter; binary_value.hpp layout

    bool opens_cursor() const {
        return (flags & (cursor::kReadOnly | cursor::kForUpdate | cursor::kScrollable)) != 0;
    }

    // `param_count` from PREPARE_OK; `bound_types` from the previous execute, used when types are not resent.
    static Result<ComStmtExecute> parse(ByteReader& r, Capabilities caps, std::size_t param_count,
                                        std::span<const ParamType> bound_types = {});
    void write(ByteWriter& w, Capabilities caps) const;

    bool operator==(const ComStmtExecute&) const = default;
};

// The statement id of an execute (or any statement command) without parsing parameters: what a router needs.
std::optional<std::uint32_t> peek_statement_id(std::string_view payload);

}  // namespace sluice::protocol
