#include "protocol/stmt_execute.hpp"

#include "protocol/binary_value.hpp"
#include "protocol/command.hpp"

namespace sluice::protocol {

namespace {
constexpr std::uint8_t kCursorBits = cursor::kReadOnly | cursor::kForUpdate | cursor::kScrollable;
// MySQL 8's PARAMETER_COUNT_AVAILABLE (query attributes) changes the layout; MariaDB never sets it.
constexpr std::uint8_t kParameterCountAvailable = 0x08;

Result<std::vector<ParamType>> read_types(ByteReader& r, std::size_t count) {
    if (count * 2 > r.remaining()) return ParseError::truncated;
    std::vector<ParamType> types;
    types.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        auto type = r.u8();
        auto flag = r.u8();
        types.push_back(ParamType{static_cast<ColumnType>(*type), (*flag & kParamUnsignedFlag) != 0});
    }
    return types;
}

Result<bool> read_params(ByteReader& r, ComStmtExecute& e, std::size_t count,
                         std::span<const ParamType> bound) {
    auto bitmap = r.bytes(null_bitmap_size(count, kParamNullBitmapOffset));
    auto bound_flag = bitmap ? r.u8() : std::nullopt;
    if (!bound_flag) return ParseError::truncated;
    if (*bound_flag > 1) return ParseError::malformed;
    e.new_params_bound = *bound_flag == 1;
    if (e.new_params_bound) {
        auto types = read_types(r, count);
        if (!types) return types.error();
        e.types = std::move(*types);
    } else {
        // Without the types from the previous execute the value widths are unknowable.
        if (bound.size() != count) return ParseError::unsupported;
        e.types.assign(bound.begin(), bound.end());
    }
    e.values.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        if (null_bit(*bitmap, i, kParamNullBitmapOffset)) {
            e.values.emplace_back(std::nullopt);
            continue;
        }
        auto v = read_binary_value(r, e.types[i].type);
        if (!v) return v.error();
        e.values.emplace_back(std::move(*v));
    }
    return true;
}
}  // namespace

Result<ComStmtExecute> ComStmtExecute::parse(ByteReader& r, Capabilities, std::size_t param_count,
                                             std::span<const ParamType> bound_types) {
    auto cmd = r.u8();
    if (!cmd) return ParseError::truncated;
    if (*cmd != static_cast<std::uint8_t>(CommandByte::stmt_execute)) return ParseError::malformed;
    auto id = r.u32();
    auto flags = r.u8();
    auto iterations = r.u32();
    if (!id || !flags || !iterations) return ParseError::truncated;
    if (*flags & kParameterCountAvailable) return ParseError::unsupported;
    if (*flags & ~kCursorBits) return ParseError::malformed;
    ComStmtExecute e;
    e.statement_id = *id;
    e.flags = *flags;
    e.iteration_count = *iterations;
    if (param_count > 0) {
        // Each parameter takes at least a bitmap bit, so a count far beyond the payload is refused early.
        if (null_bitmap_size(param_count, kParamNullBitmapOffset) > r.remaining())
            return ParseError::truncated;
        if (auto ok = read_params(r, e, param_count, bound_types); !ok) return ok.error();
    }
    if (!r.empty()) return ParseError::malformed;
    return e;
}

void ComStmtExecute::write(ByteWriter& w, Capabilities) const {
    w.u8(static_cast<std::uint8_t>(CommandByte::stmt_execute));
    w.u32(statement_id);
    w.u8(flags);
    w.u32(iteration_count);
    if (values.empty()) return;
    std::string bitmap(null_bitmap_size(values.size(), kParamNullBitmapOffset), '\0');
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!values[i]) set_null_bit(bitmap, i, kParamNullBitmapOffset);
    w.bytes(bitmap);
    w.u8(new_params_bound ? 1 : 0);
    if (new_params_bound) {
        for (const auto& t : types) {
            w.u8(static_cast<std::uint8_t>(t.type));
            w.u8(t.is_unsigned ? kParamUnsignedFlag : 0);
        }
    }
    for (std::size_t i = 0; i < values.size(); ++i)
        if (values[i]) write_binary_value(w, types[i].type, *values[i]);
}

std::optional<std::uint32_t> peek_statement_id(std::string_view payload) {
    ByteReader r(payload);
    if (!r.skip(1)) return std::nullopt;
    return r.u32();
}

}  // namespace sluice::protocol
