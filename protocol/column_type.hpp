#pragma once
// Field types and column flags of column definitions, and the binary-protocol width of each type.

#include <cstdint>
#include <string_view>

namespace sluice::protocol {

enum class ColumnType : std::uint8_t {
    decimal = 0x00,
    tiny = 0x01,
    short_ = 0x02,
    long_ = 0x03,
    float_ = 0x04,
    double_ = 0x05,
    null = 0x06,
    timestamp = 0x07,
    longlong = 0x08,
    int24 = 0x09,
    date = 0x0A,
    time = 0x0B,
    datetime = 0x0C,
    year = 0x0D,
    newdate = 0x0E,
    varchar = 0x0F,
    bit = 0x10,
    timestamp2 = 0x11,
    datetime2 = 0x12,
    time2 = 0x13,
    json = 0xF5,
    newdecimal = 0xF6,
    enum_ = 0xF7,
    set = 0xF8,
    tiny_blob = 0xF9,
    medium_blob = 0xFA,
    long_blob = 0xFB,
    blob = 0xFC,
    var_string = 0xFD,
    string = 0xFE,
    geometry = 0xFF,
};

namespace column_flag {
inline constexpr std::uint16_t kNotNull = 1U << 0;
inline constexpr std::uint16_t kPrimaryKey = 1U << 1;
inline constexpr std::uint16_t kUniqueKey = 1U << 2;
inline constexpr std::uint16_t kMultipleKey = 1U << 3;
inline constexpr std::uint16_t kBlob = 1U << 4;
inline constexpr std::uint16_t kUnsigned = 1U << 5;
inline constexpr std::uint16_t kZerofill = 1U << 6;
inline constexpr std::uint16_t kBinary = 1U << 7;
inline constexpr std::uint16_t kEnum = 1U << 8;
inline constexpr std::uint16_t kAutoIncrement = 1U << 9;
inline constexpr std::uint16_t kTimestamp = 1U << 10;
inline constexpr std::uint16_t kSet = 1U << 11;
inline constexpr std::uint16_t kNoDefaultValue = 1U << 12;
inline constexpr std::uint16_t kOnUpdateNow = 1U << 13;
inline constexpr std::uint16_t kNum = 1U << 15;
}  // namespace column_flag

// How a value of this type is laid out in the binary protocol (binary rows, COM_STMT_EXECUTE parameters).
enum class BinaryLayout : std::uint8_t {
    fixed,     // exactly binary_fixed_width() bytes
    temporal,  // a 1-byte length then that many bytes (0, 4, 7, 11 for dates; 0, 8, 12 for TIME)
    lenenc,    // a length-encoded string
};

constexpr BinaryLayout binary_layout(ColumnType t) {
    switch (t) {
        case ColumnType::tiny:
        case ColumnType::short_:
        case ColumnType::year:
        case ColumnType::long_:
        case ColumnType::int24:
        case ColumnType::float_:
        case ColumnType::longlong:
        case ColumnType::double_:
        case ColumnType::null: return BinaryLayout::fixed;
        case ColumnType::date:
        case ColumnType::datetime:
        case ColumnType::timestamp:
        case ColumnType::time:
        case ColumnType::newdate:
        case ColumnType::timestamp2:
        case ColumnType::datetime2:
        case ColumnType::time2: return BinaryLayout::temporal;
        default: return BinaryLayout::lenenc;
    }
}

constexpr std::size_t binary_fixed_width(ColumnType t) {
    switch (t) {
        case ColumnType::tiny: return 1;
        case ColumnType::short_:
        case ColumnType::year: return 2;
        case ColumnType::long_:
        case ColumnType::int24:
        case ColumnType::float_: return 4;
        case ColumnType::longlong:
        case ColumnType::double_: return 8;
        default: return 0;  // NULL type: no bytes
    }
}

// Lengths a temporal value may have; anything else is malformed.
constexpr bool valid_temporal_length(ColumnType t, std::size_t n) {
    if (t == ColumnType::time || t == ColumnType::time2) return n == 0 || n == 8 || n == 12;
    return n == 0 || n == 4 || n == 7 || n == 11;
}

}  // namespace sluice::protocol
