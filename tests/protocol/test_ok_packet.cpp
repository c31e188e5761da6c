#include <doctest/doctest.h>

#include "codec_test_util.hpp"
#include "protocol/inspect.hpp"
#include "protocol/ok_packet.hpp"
#include "protocol/session_track.hpp"

using namespace sluice::protocol;
using namespace sluice::protocol::test;

namespace {
constexpr Capabilities k41 = cap::kProtocol41 | cap::kTransactions;
constexpr Capabilities kTrack = k41 | cap::kSessionTrack;
constexpr std::size_t kFixedOkSize = 1 + 1 + 1 + 2 + 2;  // header, two 1-byte lenencs, status, warnings
}  // namespace

TEST_CASE("OK: round trip without session tracking; info length-encoded as servers send it") {
    OkPacket ok{kOkHeader, 3,
                70000,     status::kAutocommit | status::kInTrans,
                2,         "Rows matched: 3  Changed: 3  Warnings: 2",
                ""};
    check_round_trip(ok, k41);
    // The info string is read to the end of the packet, so every prefix past the fixed part is an OK too.
    const std::size_t fixed = 1 + 1 + 4 + 2 + 2;  // 70000 takes a 0xFD lenenc (4 bytes)
    check_truncations(ok, k41, [&](std::size_t n) { return n >= fixed; });
}

TEST_CASE("OK: header 0xFE (end of result set under CLIENT_DEPRECATE_EOF)") {
    OkPacket ok{kEofHeader, 0, 0, status::kAutocommit | status::kMoreResultsExist, 0, "", ""};
    check_round_trip(ok, k41 | cap::kDeprecateEof);
    check_truncations(ok, k41 | cap::kDeprecateEof, no_prefix_is_legal);
}

TEST_CASE("OK: session tracking with state change data") {
    std::vector<SessionChange> changes{{SessionTrackType::system_variables, "autocommit", "OFF"},
                                       {SessionTrackType::schema, "test", ""},
                                       {SessionTrackType::state_change, "", "1"}};
    OkPacket ok{kOkHeader,
                0,
                0,
                status::kSessionStateChanged | status::kInTrans,
                0,
                "",
                write_session_changes(changes)};
    check_round_trip(ok, kTrack);
    // Ending right after warnings is a legal OK (no info, no state); every other prefix is cut mid-field.
    check_truncations(ok, kTrack, [](std::size_t n) { return n == kFixedOkSize; });
    auto parsed = parse_session_changes(ok.session_state);
    REQUIRE(parsed.ok());
    CHECK(*parsed == changes);
}

TEST_CASE("OK: session tracking, info only, and nothing at all") {
    OkPacket info{kOkHeader, 1, 0, status::kAutocommit, 0, "info text", ""};
    check_round_trip(info, kTrack);
    OkPacket bare{kOkHeader, 1, 0, status::kAutocommit, 0, "", ""};
    check_round_trip(bare, kTrack);
    CHECK(encode(bare, kTrack).size() == kFixedOkSize);
}

TEST_CASE("OK: pre-4.1 layouts") {
    check_round_trip(OkPacket{kOkHeader, 1, 2, status::kAutocommit, 0, "x", ""}, cap::kTransactions);
    check_round_trip(OkPacket{kOkHeader, 1, 2, 0, 0, "", ""}, Capabilities{0});
}

TEST_CASE("OK: malformed headers and lenencs") {
    auto bad = bytes_of(std::string_view("\x01\x00\x00\x00\x00\x00\x00", 7));
    ByteReader r(bad);
    CHECK(OkPacket::parse(r, k41).error() == ParseError::malformed);
    auto null_rows = bytes_of(std::string_view("\x00\xFB\x00\x00\x00\x00\x00", 7));
    ByteReader rn(null_rows);
    CHECK(OkPacket::parse(rn, k41).error() == ParseError::malformed);
}

TEST_CASE("EOF: round trip and truncation") {
    EofPacket eof{1, status::kAutocommit | status::kLastRowSent};
    check_codec(eof, k41);
    check_round_trip(EofPacket{}, Capabilities{0});
}

TEST_CASE("session changes: truncated or trailing bytes are refused") {
    std::string block = write_session_changes({{SessionTrackType::system_variables, "a", "b"}});
    for (std::size_t n = 1; n < block.size(); ++n)
        CHECK_FALSE(parse_session_changes(block.substr(0, n)).ok());
    std::string padded = block;
    padded[1] = static_cast<char>(padded[1] + 1);
    padded += 'x';  // body one byte longer than its contents
    CHECK(parse_session_changes(padded).error() == ParseError::malformed);
}

TEST_CASE("inspectors read status flags from views without parsing") {
    OkPacket ok{kOkHeader, 5, 6, status::kInTrans, 1, "", ""};
    auto okb = encode(ok, k41);
    std::string_view okv(reinterpret_cast<const char*>(okb.data()), okb.size());
    auto v = peek_ok(okv);
    REQUIRE(v.has_value());
    CHECK(v->affected_rows == 5);
    CHECK(v->last_insert_id == 6);
    CHECK(v->status_flags == status::kInTrans);
    CHECK(v->warnings == 1);
    CHECK_FALSE(peek_ok(okv.substr(0, 4)).has_value());

    auto eofb = encode(EofPacket{0, status::kMoreResultsExist}, k41);
    std::string_view eofv(reinterpret_cast<const char*>(eofb.data()), eofb.size());
    CHECK(is_eof(eofv, eofv.size()));
    CHECK(is_rows_terminator(eofv, eofv.size(), k41));
    CHECK(peek_terminator_status(eofv, eofv.size()) == status::kMoreResultsExist);
    CHECK(peek_eof(eofv)->status_flags == status::kMoreResultsExist);

    // 0xFE-OK under DEPRECATE_EOF is a terminator even though it is not an EOF.
    OkPacket fe{kEofHeader, 0, 0, status::kAutocommit, 0, "", ""};
    auto feb = encode(fe, k41 | cap::kDeprecateEof);
    std::string_view fev(reinterpret_cast<const char*>(feb.data()), feb.size());
    CHECK(is_rows_terminator(fev, fev.size(), k41 | cap::kDeprecateEof));
    CHECK(peek_terminator_status(fev, fev.size()) == status::kAutocommit);
    // A 0xFE-prefixed text row is at least 16 MiB - 1 long, so the length tells them apart.
    CHECK_FALSE(is_rows_terminator(fev, kMaxPayload, k41 | cap::kDeprecateEof));
    CHECK_FALSE(is_rows_terminator(fev, 9, k41));

    CHECK(is_progress_report(std::string_view("\xFF\xFF\xFF\x01", 4)));
    CHECK_FALSE(is_progress_report(std::string_view("\xFF\x15\x04", 3)));
    CHECK(peek_err_code(std::string_view("\xFF\x15\x04#28000", 9)) == 1045);
    CHECK(peek_command_byte(std::string_view("\x03SELECT", 7)) == 3);
    CHECK_FALSE(peek_command_byte("").has_value());
}
