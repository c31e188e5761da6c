#include <doctest/doctest.h>

#include "capture.hpp"
#include "capture_replay.hpp"
#include "codec_test_util.hpp"
#include "protocol/auth/native_password.hpp"
#include "protocol/handshake.hpp"
#include "protocol/handshake_response.hpp"
#include "protocol/message.hpp"
#include "protocol/ok_packet.hpp"
#include "protocol/packet_framer.hpp"
#include "protocol/progress_report.hpp"
#include "protocol/session_track.hpp"

using namespace sluice::protocol;
using namespace sluice::protocol::test;

namespace {
const ReplayedCommand& find(const ReplayResult& r, std::string_view name, std::size_t nth = 0) {
    for (const auto& c : r.commands)
        if (c.name == name && nth-- == 0) return c;
    FAIL("command not in capture: " << name);
    throw;
}

std::string payload_of(const CapturedPacket& p) {
    return p.wire.substr(kHeaderSize);
}
}  // namespace

TEST_CASE("capture login_native: greeting, response and the real client's scramble") {
    auto packets = load_capture("login_native.txt");
    std::string greeting_bytes = payload_of(packets[0]);
    std::string response_bytes = payload_of(packets[1]);
    ByteReader g(greeting_bytes);
    auto greeting = HandshakeV10::parse(g);
    REQUIRE(greeting.ok());
    CHECK(greeting->server_version == "5.5.5-10.11.19-MariaDB-0+deb12u1");
    CHECK(greeting->auth_plugin_name == "mysql_native_password");
    CHECK(greeting->auth_plugin_data.size() == kScrambleSize);
    CHECK(uses_mariadb_extended_caps(greeting->capabilities));
    CHECK(has(greeting->capabilities, cap::kMariaDbCacheMetadata));
    // Re-encoding the parsed greeting gives back the server's exact bytes.
    CHECK(as_view(encode(*greeting, 0)) == greeting_bytes);

    ByteReader c(response_bytes);
    auto resp = HandshakeResponse41::parse(c);
    REQUIRE(resp.ok());
    CHECK(resp->username == "sluice");
    CHECK(resp->auth_plugin_name == "mysql_native_password");
    CHECK(resp->trailing.empty());
    CHECK(as_view(encode(*resp, 0)) == response_bytes);
    auto stored = auth::parse_native_hash("*7431BFF78F6997E15E305B07BB822BE5337A1EAA");
    CHECK(auth::native_verify(resp->auth_response, greeting->auth_plugin_data, *stored));

    auto r = replay_capture("login_native.txt");
    REQUIRE(r.commands.size() == 3);
    CHECK(r.commands[1].name == "COM_QUERY");
    CHECK(r.commands[1].rows == 1);
    CHECK(r.commands[2].name == "COM_QUIT");
}

TEST_CASE("capture prepared_cursor: long data, cursor fetches, cached metadata, failing prepare") {
    auto r = replay_capture("prepared_cursor.txt");
    // The login OK carries session-state tracking: the current schema.
    const auto& prepare_insert = find(r, "COM_STMT_PREPARE", 0);
    REQUIRE(prepare_insert.prepare_ok.has_value());
    CHECK(prepare_insert.prepare_ok->params == 3);
    CHECK(prepare_insert.prepare_ok->columns == 0);
    CHECK(find(r, "COM_STMT_EXECUTE", 0).rows == 0);

    const auto& cursor = find(r, "COM_STMT_EXECUTE", 1);
    CHECK(cursor.cursor_opened);
    CHECK(cursor.rows == 0);
    CHECK(find(r, "COM_STMT_FETCH", 0).rows == 2);
    const auto& last_fetch = find(r, "COM_STMT_FETCH", 2);
    CHECK(last_fetch.rows == 1);
    CHECK(has_status(last_fetch.status, status::kLastRowSent));
    CHECK_FALSE(has_status(last_fetch.status, status::kCursorExists));

    CHECK(find(r, "COM_STMT_EXECUTE", 2).rows == 3);
    CHECK(find(r, "COM_STMT_EXECUTE", 3).rows == 2);  // metadata_follows = 0: no definitions resent
    CHECK(find(r, "COM_STMT_PREPARE", 2).error_code == 1064);
}

TEST_CASE("capture multi_result_call: two result sets then the final OK") {
    auto r = replay_capture("multi_result_call.txt");
    const auto& call = find(r, "COM_QUERY");
    CHECK(call.result_sets == 2);
    CHECK(call.rows == 5);
    CHECK_FALSE(has_status(call.status, status::kMoreResultsExist));
}

TEST_CASE("capture error_mid_rows: a row, then ERR 1242") {
    auto r = replay_capture("error_mid_rows.txt");
    const auto& q = find(r, "COM_QUERY");
    CHECK(q.rows == 1);
    CHECK(q.error_code == 1242);
}

TEST_CASE("capture local_infile: client content, a progress report, then OK") {
    auto r = replay_capture("local_infile.txt");
    const auto& q = find(r, "COM_QUERY");
    CHECK(q.progress_reports == 1);
    CHECK_FALSE(q.error_code.has_value());
}

TEST_CASE("capture big_blob: a 17 MB row across two packets") {
    auto r = replay_capture("big_blob.txt");
    CHECK(find(r, "COM_QUERY").rows == 1);

    // The zero-copy scanner sees one logical payload of 17 MB whose head starts with 0xFE (a lenenc prefix).
    auto packets = load_capture("big_blob.txt");
    std::string stream;
    for (const auto& p : packets)
        if (!p.from_client) stream += p.wire;
    // Only the server's side of the stream: its sequence ids have gaps where the client spoke.
    PacketScanner s(std::size_t{1} << 30, SequenceCheck::off);
    std::string_view rest = stream;
    std::vector<PayloadHead> heads;
    while (!rest.empty()) {
        auto st = s.step(rest.substr(0, 65536));
        REQUIRE(st.ok());
        if (st->payload_end) heads.push_back(*st->payload_end);
        rest.remove_prefix(st->consumed);
    }
    bool found = false;
    for (const auto& h : heads) {
        if (h.length == 17000000 + 9) {
            found = true;
            CHECK(static_cast<std::uint8_t>(h.head()[0]) == 0xFE);
        }
    }
    CHECK(found);
}

TEST_CASE("capture raw_deprecate_eof: every command shape under CLIENT_DEPRECATE_EOF") {
    auto r = replay_capture("raw_deprecate_eof.txt");
    CHECK(has(r.caps, cap::kDeprecateEof));
    CHECK(has(find(r, "COM_QUERY", 0).status, status::kSessionStateChanged));
    CHECK(find(r, "COM_QUERY", 1).rows == 2);
    CHECK(find(r, "COM_QUERY", 2).result_sets == 2);  // CALL
    CHECK(find(r, "COM_QUERY", 3).result_sets == 2);  // multi-statement
    CHECK(find(r, "COM_QUERY", 4).error_code == 1242);
    CHECK(find(r, "COM_QUERY", 5).progress_reports == 1);
    CHECK(find(r, "COM_STMT_EXECUTE", 0).cursor_opened);
    CHECK(has_status(find(r, "COM_STMT_FETCH", 2).status, status::kLastRowSent));
    CHECK(find(r, "COM_STMT_EXECUTE", 1).rows == 5);
    CHECK(find(r, "COM_PROCESS_KILL").error_code == 1094);
    CHECK(find(r, "COM_UNKNOWN").error_code == 1047);
    CHECK_FALSE(find(r, "COM_CHANGE_USER").error_code.has_value());
}

TEST_CASE("capture raw_classic_eof: the same script with EOF packets") {
    auto r = replay_capture("raw_classic_eof.txt");
    CHECK_FALSE(has(r.caps, cap::kDeprecateEof));
    CHECK(find(r, "COM_QUERY", 2).result_sets == 2);
    CHECK(find(r, "COM_QUERY", 4).error_code == 1242);
    CHECK(find(r, "COM_STMT_EXECUTE", 0).cursor_opened);
    CHECK(find(r, "COM_STMT_EXECUTE", 1).rows == 5);
    CHECK_FALSE(find(r, "COM_CHANGE_USER").error_code.has_value());
}

TEST_CASE("capture: session-state tracking in a real OK") {
    auto packets = load_capture("raw_deprecate_eof.txt");
    // The answer to SET autocommit=0 (the 5th packet) reports the variable's new value.
    std::string ok_bytes = payload_of(packets[4]);
    ByteReader r(ok_bytes);
    Capabilities caps = cap::kProtocol41 | cap::kSessionTrack | cap::kDeprecateEof;
    auto ok = OkPacket::parse(r, caps);
    REQUIRE(ok.ok());
    auto changes = parse_session_changes(ok->session_state);
    REQUIRE(changes.ok());
    REQUIRE(changes->size() == 1);
    CHECK((*changes)[0].name == "autocommit");
    CHECK((*changes)[0].value == "OFF");
}

TEST_CASE("capture: MariaDB progress report during LOAD DATA") {
    auto packets = load_capture("local_infile.txt");
    std::string report;
    for (const auto& p : packets) {
        std::string payload = payload_of(p);
        if (!p.from_client && is_progress_report(payload)) report = payload;
    }
    REQUIRE_FALSE(report.empty());
    ByteReader r(report);
    auto got = ProgressReport::parse(r);
    REQUIRE(got.ok());
    CHECK(got->strings == 1);
    CHECK(got->stage == 2);
    CHECK(got->max_stage == 2);
    CHECK(got->info == "End bulk insert");
    CHECK(as_view(encode(*got, 0)) == report);
    check_truncations(*got, 0, no_prefix_is_legal);
}
