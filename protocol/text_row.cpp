#include "protocol/text_row.hpp"

#include "protocol/parse_util.hpp"

namespace sluice::protocol {

Result<TextRow> TextRow::parse(ByteReader& r, Capabilities, std::size_t column_count) {
    TextRow row;
    // Every column takes at least one byte, so a count beyond the payload cannot be honest: refuse it before
    // reserving memory for it.
    if (column_count > r.remaining()) return ParseError::truncated;
    row.values.reserve(column_count);
    for (std::size_t i = 0; i < column_count; ++i) {
        if (r.peek() == kLenencNull) {
            r.skip(1);
            row.values.emplace_back(std::nullopt);
            continue;
        }
        auto v = r.lenenc_string();
        if (!v) return lenenc_failure(r);
        row.values.emplace_back(std::string(*v));
    }
    if (!r.empty()) return ParseError::malformed;
    return row;
}

void TextRow::write(ByteWriter& w, Capabilities) const {
    for (const auto& v : values) {
        if (v) {
            w.lenenc_string(*v);
        } else {
            w.u8(kLenencNull);
        }
    }
}

}  // namespace sluice::protocol
