#include <doctest/doctest.h>

#include "codec_test_util.hpp"
#include "protocol/commands.hpp"
#include "protocol/inspect.hpp"
#include "protocol/stmt_execute.hpp"

using namespace sluice::protocol;
using namespace sluice::protocol::test;

namespace {
constexpr Capabilities k41 = cap::kProtocol41 | cap::kTransactions;
// String commands run to the end of the payload: every prefix past the command byte is itself legal.
bool past_command_byte(std::size_t n) {
    return n >= 1;
}
}  // namespace

TEST_CASE("command table: every assigned byte is known, named and classified") {
    CHECK(command(CommandByte::query).name() == "COM_QUERY");
    CHECK(command(CommandByte::stmt_bulk_execute).name() == "COM_STMT_BULK_EXECUTE");
    CHECK(command(CommandByte::multi).name() == "COM_MULTI");
    CHECK(command(CommandByte::sleep).known());
    int known = 0;
    for (int b = 0; b < 256; ++b) known += Command{static_cast<std::uint8_t>(b)}.known() ? 1 : 0;
    CHECK(known == 0x21 + 5);  // 0x00..0x20 and 0xFA..0xFE
    CHECK_FALSE(command(CommandByte::quit).expects_response());
    CHECK_FALSE(command(CommandByte::stmt_close).expects_response());
    CHECK_FALSE(command(CommandByte::stmt_send_long_data).expects_response());
    CHECK(command(CommandByte::ping).expects_response());
    CHECK(command(CommandByte::statistics).response() == ResponseKind::statistics);
    CHECK(command(CommandByte::set_option).response() == ResponseKind::eof_or_ok);
}

TEST_CASE("command_of: identification, unknown bytes refusable") {
    CHECK(command_of("\x03SELECT 1")->id() == CommandByte::query);
    CHECK_FALSE(command_of("").has_value());
    auto unknown = command_of("\x42");
    REQUIRE(unknown.has_value());
    CHECK_FALSE(unknown->known());
    CHECK(unknown->name() == "COM_UNKNOWN");
    CHECK(unknown->response() == ResponseKind::ok);  // the server's ERR 1047
    ErrPacket e = unknown_command_error();
    CHECK(e.code == 1047);
    CHECK(e.sql_state == "08S01");
}

TEST_CASE("string commands") {
    ComQuery q{"SELECT * FROM t WHERE a = 'x\\0y'"};
    check_round_trip(q, k41);
    check_truncations(q, k41, past_command_byte);
    check_round_trip(ComQuery{""}, k41);
    check_round_trip(ComInitDb{"shop"}, k41);
    check_round_trip(ComStmtPrepare{"SELECT ?"}, k41);
    auto wrong = bytes_of("\x02shop");
    ByteReader r(wrong);
    CHECK(ComQuery::parse(r).error() == ParseError::malformed);
}

TEST_CASE("bare commands") {
    check_codec(ComPing{}, k41);
    check_codec(ComQuit{}, k41);
    check_codec(ComStatistics{}, k41);
    check_codec(ComResetConnection{}, k41);
    auto extra = bytes_of("\x0ex");
    ByteReader r(extra);
    CHECK(ComPing::parse(r).error() == ParseError::malformed);
}

TEST_CASE("fixed-layout commands") {
    check_codec(ComProcessKill{0xDEADBEEF}, k41);
    check_codec(ComSetOption{SetOption::multi_statements_off}, k41);
    check_codec(ComStmtClose{7}, k41);
    check_codec(ComStmtReset{8}, k41);
    check_codec(ComStmtFetch{9, 100}, k41);
    auto bad_option = bytes_of(std::string_view("\x1b\x02\x00", 3));
    ByteReader r(bad_option);
    CHECK(ComSetOption::parse(r).error() == ParseError::malformed);
}

TEST_CASE("COM_FIELD_LIST and COM_STMT_SEND_LONG_DATA") {
    ComFieldList f{"orders", "i%"};
    check_round_trip(f, k41);
    check_truncations(f, k41, [&](std::size_t n) { return n >= 1 + f.table.size() + 1; });
    ComStmtSendLongData d{3, 1, std::string(1000, '\xAB')};
    check_round_trip(d, k41);
    check_truncations(d, k41, [](std::size_t n) { return n >= 7; });
}

TEST_CASE("COM_STMT_EXECUTE: parameters of every layout, NULLs, types sent") {
    ComStmtExecute e;
    e.statement_id = 1;
    e.flags = cursor::kReadOnly;
    e.types = {{ColumnType::longlong, true},  {ColumnType::var_string, false}, {ColumnType::null, false},
               {ColumnType::datetime, false}, {ColumnType::double_, false},    {ColumnType::blob, false},
               {ColumnType::tiny, false},     {ColumnType::time, false},       {ColumnType::short_, false}};
    e.values = {std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8),
                std::string("hello"),
                std::nullopt,
                std::string("\xe8\x07\x02\x1d\x0c\x22\x38", 7),
                std::string(8, '\x40'),
                std::string(300, 'b'),
                std::string("\x7f"),
                std::string(8, '\x01'),
                std::nullopt};
    CHECK(e.opens_cursor());
    check_codec(e, k41, std::size_t{9});
    // A different parameter count than PREPARE_OK announced does not parse.
    auto bytes = encode(e, k41);
    ByteReader r(bytes);
    CHECK_FALSE(ComStmtExecute::parse(r, k41, 8).ok());
}

TEST_CASE("COM_STMT_EXECUTE: no parameters, and types reused from the previous execute") {
    check_codec(ComStmtExecute{5, cursor::kNoCursor, 1, true, {}, {}}, k41, std::size_t{0});

    std::vector<ParamType> bound{{ColumnType::long_, false}, {ColumnType::string, false}};
    ComStmtExecute again{
        5, cursor::kNoCursor, 1, false, bound, {std::string("\x2a\0\0\0", 4), std::string("s")}};
    check_codec(again, k41, std::size_t{2}, std::span<const ParamType>(bound));
    auto bytes = encode(again, k41);
    ByteReader r(bytes);
    CHECK(ComStmtExecute::parse(r, k41, 2).error() == ParseError::unsupported);
    CHECK(peek_statement_id(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size())) ==
          5);
}

TEST_CASE("COM_STMT_EXECUTE: hostile values") {
    // Temporal with an impossible length.
    ComStmtExecute e{1, 0, 1, true, {{ColumnType::date, false}}, {std::string("\x01\x02\x03", 3)}};
    auto bytes = encode(e, k41);
    ByteReader r(bytes);
    CHECK(ComStmtExecute::parse(r, k41, 1).error() == ParseError::malformed);
    // A huge parameter count is refused before any allocation.
    ComStmtExecute none{1, 0, 1, true, {}, {}};
    auto b2 = encode(none, k41);
    ByteReader r2(b2);
    CHECK(ComStmtExecute::parse(r2, k41, 1u << 30).error() == ParseError::truncated);
    // MySQL's query-attribute flag changes the layout: unsupported, not misread.
    auto b3 = encode(ComStmtExecute{1, 0x08, 1, true, {}, {}}, k41);
    ByteReader r3(b3);
    CHECK(ComStmtExecute::parse(r3, k41, 0).error() == ParseError::unsupported);
}
