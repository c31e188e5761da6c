#include <doctest/doctest.h>

#include "codec_test_util.hpp"
#include "protocol/column_definition.hpp"
#include "protocol/ok_packet.hpp"
#include "protocol/packet_framer.hpp"
#include "protocol/result_set.hpp"
#include "protocol/text_row.hpp"

using namespace sluice::protocol;
using namespace sluice::protocol::test;

namespace {
constexpr Capabilities k41 = cap::kProtocol41 | cap::kTransactions;

ColumnDefinition sample_column() {
    ColumnDefinition c;
    c.schema = "shop";
    c.table = "o";
    c.org_table = "orders";
    c.name = "id";
    c.org_name = "id";
    c.charset = kCharsetBinary;
    c.column_length = 11;
    c.type = ColumnType::long_;
    c.flags = column_flag::kNotNull | column_flag::kPrimaryKey | column_flag::kNum;
    return c;
}

std::vector<std::string> payloads_of_seq(const std::vector<std::uint8_t>& wire, std::uint8_t first_seq) {
    PacketFramer f(1 << 24);
    f.expect_sequence(first_seq);
    f.feed(as_view(wire));
    std::vector<std::string> out;
    for (;;) {
        auto r = f.next();
        REQUIRE(r.ok());
        if (!r->has_value()) break;
        out.emplace_back((*r)->payload);
    }
    CHECK(f.buffered() == 0);
    return out;
}
}  // namespace

TEST_CASE("column definition: round trip and truncation") {
    check_codec(sample_column(), k41);
    check_codec(ColumnDefinition::text("Variable_name"), k41);
}

TEST_CASE("column definition: MariaDB extended metadata only when negotiated") {
    ColumnDefinition c = sample_column();
    c.type = ColumnType::blob;
    c.extended_metadata = std::string("\x00\x04json", 6);
    check_codec(c, k41 | cap::kMariaDbExtendedMetadata);
    CHECK(c.extended(ExtendedMetadataKey::type_name) == "json");
    CHECK_FALSE(c.extended(ExtendedMetadataKey::format_name).has_value());
    // Without the capability the block is not on the wire, so the bytes do not parse as a definition.
    auto bytes = encode(c, k41 | cap::kMariaDbExtendedMetadata);
    ByteReader r(bytes);
    CHECK_FALSE(ColumnDefinition::parse(r, k41).ok());
}

TEST_CASE("column definition: COM_FIELD_LIST default values, including NULL") {
    ColumnDefinition c = sample_column();
    c.has_default_field = true;
    c.default_value = "0";
    check_round_trip(c, k41);
    c.default_value.reset();
    check_round_trip(c, k41);
    // Without the default the definition is complete: that one prefix is legal.
    auto without = encode(sample_column(), k41).size();
    check_truncations(c, k41, [&](std::size_t n) { return n == without; });
}

TEST_CASE("column definition: fixed-length field must be 0x0C") {
    auto bytes = encode(sample_column(), k41);
    std::size_t fixed_at = bytes.size() - 13;
    REQUIRE(bytes[fixed_at] == 0x0C);
    bytes[fixed_at] = 0x0B;
    ByteReader r(bytes);
    CHECK(ColumnDefinition::parse(r, k41).error() == ParseError::malformed);
}

TEST_CASE("text row: NULLs, empty strings, long values") {
    TextRow row{{std::string("1"), std::nullopt, std::string(""), std::string(300, 'v')}};
    check_codec(row, k41, std::size_t{4});
    // Too few columns in the payload, or bytes left over, are errors.
    auto bytes = encode(row, k41);
    ByteReader extra(bytes);
    CHECK(TextRow::parse(extra, k41, 3).error() == ParseError::malformed);
    ByteReader missing(bytes);
    CHECK_FALSE(TextRow::parse(missing, k41, 5).ok());
}

TEST_CASE("text row: a huge column count does not allocate") {
    auto bytes = bytes_of("\x01x");
    ByteReader r(bytes);
    CHECK(TextRow::parse(r, k41, std::size_t{1} << 60).error() == ParseError::truncated);
}

TEST_CASE("column count: with and without MariaDB cached metadata") {
    check_codec(ColumnCount{3, true}, k41);
    check_codec(ColumnCount{300, false}, k41 | cap::kMariaDbCacheMetadata);
    check_codec(ColumnCount{2, true}, k41 | cap::kMariaDbCacheMetadata);
    auto zero = bytes_of(std::string_view("\x00", 1));
    ByteReader r(zero);
    CHECK(ColumnCount::parse(r, k41).error() == ParseError::malformed);
}

TEST_CASE("text result set writer: classic EOF framing") {
    std::vector<ColumnDefinition> cols{ColumnDefinition::text("name"), ColumnDefinition::text("value")};
    std::vector<TextRow> rows{{{std::string("a"), std::string("1")}}, {{std::string("b"), std::nullopt}}};
    std::vector<std::uint8_t> wire;
    std::uint8_t next = append_text_result_set(wire, 1, cols, rows, k41, status::kAutocommit);
    CHECK(next == 1 + 1 + 2 + 1 + 2 + 1);
    auto p = payloads_of_seq(wire, 1);
    REQUIRE(p.size() == 7);
    CHECK(p[0] == "\x02");
    ByteReader c1(p[2]);
    CHECK(ColumnDefinition::parse(c1, k41)->name == "value");
    ByteReader eof(p[3]);
    CHECK(EofPacket::parse(eof, k41)->status_flags == status::kAutocommit);
    ByteReader row(p[5]);
    CHECK(*TextRow::parse(row, k41, 2) == rows[1]);
    ByteReader last(p[6]);
    CHECK(EofPacket::parse(last, k41).ok());
}

TEST_CASE("text result set writer: CLIENT_DEPRECATE_EOF ends with a 0xFE OK and no middle EOF") {
    Capabilities caps = k41 | cap::kDeprecateEof;
    std::vector<ColumnDefinition> cols{ColumnDefinition::text("x")};
    std::vector<TextRow> rows{{{std::string("1")}}};
    std::vector<std::uint8_t> wire;
    append_text_result_set(wire, 1, cols, rows, caps, status::kInTrans);
    auto p = payloads_of_seq(wire, 1);
    REQUIRE(p.size() == 4);
    ByteReader ok(p[3]);
    auto parsed = OkPacket::parse(ok, caps);
    REQUIRE(parsed.ok());
    CHECK(parsed->header == kEofHeader);
    CHECK(parsed->status_flags == status::kInTrans);
}
