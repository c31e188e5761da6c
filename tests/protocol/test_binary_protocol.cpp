#include <doctest/doctest.h>

#include "codec_test_util.hpp"
#include "protocol/binary_row.hpp"
#include "protocol/binary_value.hpp"
#include "protocol/inspect.hpp"
#include "protocol/prepare_ok.hpp"

using namespace sluice::protocol;
using namespace sluice::protocol::test;

namespace {
constexpr Capabilities k41 = cap::kProtocol41 | cap::kTransactions;
}  // namespace

TEST_CASE("binary row: bitmap offset 2, every value layout") {
    std::vector<ColumnType> types{ColumnType::long_,     ColumnType::var_string, ColumnType::null,
                                  ColumnType::timestamp, ColumnType::time,       ColumnType::newdecimal,
                                  ColumnType::float_,    ColumnType::year};
    BinaryRow row;
    row.values = {
        BinaryValue{ColumnType::long_, std::string("\x01\0\0\0", 4)},
        BinaryValue{ColumnType::var_string, "abc"},
        std::nullopt,
        BinaryValue{ColumnType::timestamp, std::string("\xe8\x07\x01\x01\x00\x00\x00\x01\x00\x00\x00", 11)},
        BinaryValue{ColumnType::time, ""},
        BinaryValue{ColumnType::newdecimal, "3.14"},
        std::nullopt,
        BinaryValue{ColumnType::year, std::string("\xe8\x07", 2)}};
    check_codec(row, k41, std::span<const ColumnType>(types));
    auto bytes = encode(row, k41);
    // 8 columns + 2 offset bits need two bitmap bytes; NULLs at 2 and 6 are bits 4 and 8.
    CHECK(bytes[1] == 0x10);
    CHECK(bytes[2] == 0x01);
}

TEST_CASE("binary row: wrong header or leftover bytes") {
    std::vector<ColumnType> types{ColumnType::tiny};
    BinaryRow row{{BinaryValue{ColumnType::tiny, "\x05"}}};
    auto bytes = encode(row, k41);
    bytes.push_back(0);
    ByteReader extra(bytes);
    CHECK(BinaryRow::parse(extra, k41, types).error() == ParseError::malformed);
    bytes.pop_back();
    bytes[0] = 0xFE;
    ByteReader eof(bytes);
    CHECK(BinaryRow::parse(eof, k41, types).error() == ParseError::malformed);
}

TEST_CASE("null bitmap helpers") {
    CHECK(null_bitmap_size(0, kRowNullBitmapOffset) == 1);
    CHECK(null_bitmap_size(6, kRowNullBitmapOffset) == 1);
    CHECK(null_bitmap_size(7, kRowNullBitmapOffset) == 2);
    CHECK(null_bitmap_size(8, kParamNullBitmapOffset) == 1);
    CHECK(null_bitmap_size(9, kParamNullBitmapOffset) == 2);
}

TEST_CASE("PREPARE_OK and LOCAL INFILE request") {
    PrepareOk p{0x01020304, 3, 2, 1};
    check_round_trip(p, k41);
    check_truncations(p, k41, [](std::size_t n) { return n == 10; });
    LocalInfileRequest li{"/tmp/data.csv"};
    check_round_trip(li, k41);
    check_truncations(li, k41, [](std::size_t n) { return n >= 1; });
}
