#pragma once
// One value in the binary protocol (binary result rows and COM_STMT_EXECUTE parameters). The codec keeps a
// value's bytes as they are on the wire minus any length prefix: fixed-width integers and floats as their
// little-endian bytes, temporals as the bytes after their length byte, everything else as the string.

#include <string>
#include <string_view>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/column_type.hpp"
#include "protocol/result.hpp"

namespace sluice::protocol {

Result<std::string> read_binary_value(ByteReader& r, ColumnType type);
void write_binary_value(ByteWriter& w, ColumnType type, std::string_view bytes);

// Null bitmaps: bit (i + offset) set means value i is NULL. Rows use offset 2, parameters offset 0.
inline constexpr std::size_t kRowNullBitmapOffset = 2;
inline constexpr std::size_t kParamNullBitmapOffset = 0;

constexpr std::size_t null_bitmap_size(std::size_t count, std::size_t offset) {
    return (count + offset + 7) / 8;
}

inline bool null_bit(std::string_view bitmap, std::size_t i, std::size_t offset) {
    std::size_t bit = i + offset;
    return (static_cast<std::uint8_t>(bitmap[bit / 8]) >> (bit % 8)) & 1U;
}

inline void set_null_bit(std::string& bitmap, std::size_t i, std::size_t offset) {
    std::size_t bit = i + offset;
    bitmap[bit / 8] = static_cast<char>(static_cast<std::uint8_t>(bitmap[bit / 8]) | (1U << (bit % 8)));
}

}  // namespace sluice::protocol
