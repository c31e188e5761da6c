#include "protocol/binary_row.hpp"

#include "protocol/binary_value.hpp"

namespace sluice::protocol {

Result<BinaryRow> BinaryRow::parse(ByteReader& r, Capabilities, std::span<const ColumnType> types) {
    auto header = r.u8();
    if (!header) return ParseError::truncated;
    if (*header != kBinaryRowHeader) return ParseError::malformed;
    auto bitmap = r.bytes(null_bitmap_size(types.size(), kRowNullBitmapOffset));
    if (!bitmap) return ParseError::truncated;
    BinaryRow row;
    row.values.reserve(types.size());
    for (std::size_t i = 0; i < types.size(); ++i) {
        if (null_bit(*bitmap, i, kRowNullBitmapOffset)) {
            row.values.emplace_back(std::nullopt);
            continue;
        }
        auto v = read_binary_value(r, types[i]);
        if (!v) return v.error();
        row.values.emplace_back(BinaryValue{types[i], std::move(*v)});
    }
    if (!r.empty()) return ParseError::malformed;
    return row;
}

void BinaryRow::write(ByteWriter& w, Capabilities) const {
    w.u8(kBinaryRowHeader);
    std::string bitmap(null_bitmap_size(values.size(), kRowNullBitmapOffset), '\0');
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!values[i]) set_null_bit(bitmap, i, kRowNullBitmapOffset);
    w.bytes(bitmap);
    for (const auto& v : values)
        if (v) write_binary_value(w, v->type, v->bytes);
}

}  // namespace sluice::protocol
