#include "protocol/binary_value.hpp"

#include "protocol/parse_util.hpp"

namespace sluice::protocol {

Result<std::string> read_binary_value(ByteReader& r, ColumnType type) {
    switch (binary_layout(type)) {
        case BinaryLayout::fixed: {
            auto b = r.bytes(binary_fixed_width(type));
            if (!b) return ParseError::truncated;
            return std::string(*b);
        }
        case BinaryLayout::temporal: {
            auto len = r.u8();
            if (!len) return ParseError::truncated;
            if (!valid_temporal_length(type, *len)) return ParseError::malformed;
            auto b = r.bytes(*len);
            if (!b) return ParseError::truncated;
            return std::string(*b);
        }
        case BinaryLayout::lenenc: {
            auto s = r.lenenc_string();
            if (!s) return lenenc_failure(r);
            return std::string(*s);
        }
    }
    return ParseError::malformed;
}

void write_binary_value(ByteWriter& w, ColumnType type, std::string_view bytes) {
    switch (binary_layout(type)) {
        case BinaryLayout::fixed: w.bytes(bytes); return;
        case BinaryLayout::temporal:
            w.u8(static_cast<std::uint8_t>(bytes.size()));
            w.bytes(bytes);
            return;
        case BinaryLayout::lenenc: w.lenenc_string(bytes); return;
    }
}

}  // namespace sluice::protocol
