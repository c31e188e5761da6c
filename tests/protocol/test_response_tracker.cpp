#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "codec_test_util.hpp"
#include "protocol/auth_switch.hpp"
#include "protocol/binary_row.hpp"
#include "protocol/column_definition.hpp"
#include "protocol/ok_packet.hpp"
#include "protocol/prepare_ok.hpp"
#include "protocol/response_tracker.hpp"
#include "protocol/result_set.hpp"
#include "protocol/text_row.hpp"

using namespace sluice::protocol;
using namespace sluice::protocol::test;

namespace {
constexpr Capabilities kEof =
    cap::kProtocol41 | cap::kTransactions | cap::kMultiResults | cap::kMariaDbProgress;
constexpr Capabilities kNoEof = kEof | cap::kDeprecateEof;

template <class M>
std::string p(const M& m, Capabilities caps) {
    auto b = encode(m, caps);
    return std::string(b.begin(), b.end());
}

std::string ok(ServerStatus s, Capabilities caps, std::uint8_t header = kOkHeader) {
    OkPacket o;
    o.header = header;
    o.status_flags = s;
    return p(o, caps);
}
std::string eof(ServerStatus s, Capabilities caps) {
    return p(EofPacket{0, s}, caps);
}
// The packet that ends rows: an EOF, or the 0xFE OK under CLIENT_DEPRECATE_EOF.
std::string end_rows(ServerStatus s, Capabilities caps) {
    return has(caps, cap::kDeprecateEof) ? ok(s, caps, kEofHeader) : eof(s, caps);
}
std::string err(std::uint16_t code = 1064) {
    return p(ErrPacket{code, "42000", "boom"}, kEof);
}
std::string col(Capabilities caps) {
    return p(ColumnDefinition::text("c"), caps);
}
std::string count(std::uint64_t n, Capabilities caps) {
    return p(ColumnCount{n, true}, caps);
}
std::string row(std::string v) {
    return p(TextRow{{std::move(v)}}, kEof);
}
const std::string kProgress("\xFF\xFF\xFF\x01\x01\x00\x00\x00\x00\x00", 10);

// A complete text result set of `n` rows, one column, ending with `s`.
std::vector<std::string> result_set(int n, ServerStatus s, Capabilities caps) {
    std::vector<std::string> out{count(1, caps), col(caps)};
    if (!has(caps, cap::kDeprecateEof)) out.push_back(eof(s & ~status::kMoreResultsExist, caps));
    for (int i = 0; i < n; ++i) out.push_back(row("v" + std::to_string(i)));
    out.push_back(end_rows(s, caps));
    return out;
}

// Feeds server payloads; every one but the last must leave the tracker wanting more.
void feed_all(ResponseTracker& t, const std::vector<std::string>& payloads, TrackerStatus last) {
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        CAPTURE(i);
        auto st = t.on_server_payload(payloads[i]);
        if (i + 1 < payloads.size()) {
            REQUIRE(st == TrackerStatus::need_server);
        } else {
            CHECK(st == last);
        }
    }
}

ResponseTracker tracker(CommandByte c, Capabilities caps) {
    return ResponseTracker(command(c), caps);
}
}  // namespace

TEST_CASE("tracker: COM_QUERY answered by OK or ERR") {
    for (Capabilities caps : {kEof, kNoEof}) {
        auto t = tracker(CommandByte::query, caps);
        feed_all(t, {ok(status::kInTrans, caps)}, TrackerStatus::complete);
        CHECK(t.in_transaction());
        CHECK(t.last_ok().has_value());
        auto e = tracker(CommandByte::query, caps);
        feed_all(e, {err(1146)}, TrackerStatus::complete);
        REQUIRE(e.error().has_value());
        CHECK(e.error()->code == 1146);
    }
}

TEST_CASE("tracker: text result sets with and without CLIENT_DEPRECATE_EOF") {
    for (Capabilities caps : {kEof, kNoEof}) {
        CAPTURE(caps);
        auto t = tracker(CommandByte::query, caps);
        feed_all(t, result_set(3, status::kAutocommit, caps), TrackerStatus::complete);
        CHECK(t.rows() == 3);
        CHECK(t.result_sets() == 1);
        CHECK(t.server_status() == status::kAutocommit);
        // Any further payload is a protocol error, not silently eaten.
        CHECK(t.on_server_payload(ok(0, caps)) == TrackerStatus::protocol_error);
    }
}

TEST_CASE("tracker: a text row that starts with 0xFE is a row, not the end") {
    auto t = tracker(CommandByte::query, kNoEof);
    feed_all(t, {count(1, kNoEof), col(kNoEof)}, TrackerStatus::need_server);
    std::string fe_row("\xFE", 1);  // head of a row whose first value needs an 8-byte lenenc
    CHECK(t.on_server_payload(fe_row, kMaxPayload) == TrackerStatus::need_server);
    CHECK(t.rows() == 1);
}

TEST_CASE(
    "tracker: take_plain_row() counts plain rows and leaves every other payload to on_server_payload()") {
    for (Capabilities caps : {kEof, kNoEof}) {
        CAPTURE(caps);
        auto t = tracker(CommandByte::query, caps);
        auto rs = result_set(3, status::kAutocommit, caps);
        // Before the rows (column count, definitions, the EOF after them): never taken.
        std::size_t first_row = rs.size() - 4;
        for (std::size_t i = 0; i < first_row; ++i) {
            CHECK_FALSE(t.take_plain_row(rs[i]));
            REQUIRE(t.on_server_payload(rs[i]) == TrackerStatus::need_server);
        }
        for (std::size_t i = first_row; i < rs.size() - 1; ++i) CHECK(t.take_plain_row(rs[i]));
        CHECK_FALSE(t.take_plain_row(kProgress));               // 0xFF: a progress report or an ERR
        CHECK_FALSE(t.take_plain_row(std::string("\xFE", 1)));  // maybe the end: the full check decides
        CHECK_FALSE(t.take_plain_row(rs.back()));
        CHECK(t.on_server_payload(rs.back()) == TrackerStatus::complete);
        CHECK(t.rows() == 3);
        CHECK_FALSE(t.take_plain_row(row("late")));  // done: a further payload goes the full way (an error)
    }
}

TEST_CASE("tracker: expects_rows() / is_plain_row() / add_rows(), the parts of take_plain_row() for a loop") {
    auto t = tracker(CommandByte::query, kNoEof);
    CHECK_FALSE(t.expects_rows());
    feed_all(t, {count(1, kNoEof), col(kNoEof)}, TrackerStatus::need_server);
    REQUIRE(t.expects_rows());
    CHECK(ResponseTracker::is_plain_row(row("a")));
    CHECK_FALSE(ResponseTracker::is_plain_row(""));
    CHECK_FALSE(ResponseTracker::is_plain_row(kProgress));
    CHECK_FALSE(ResponseTracker::is_plain_row(std::string("\xFE", 1)));
    t.add_rows(5);
    CHECK(t.rows() == 5);
    CHECK(t.expects_rows());  // counting rows does not move the state
    CHECK(t.on_server_payload(end_rows(0, kNoEof)) == TrackerStatus::complete);
    CHECK(t.rows() == 5);
    CHECK_FALSE(t.expects_rows());
}

TEST_CASE("tracker: multi-result CALL: result sets then the final OK") {
    for (Capabilities caps : {kEof, kNoEof}) {
        auto t = tracker(CommandByte::query, caps);
        auto a = result_set(2, status::kAutocommit | status::kMoreResultsExist, caps);
        auto b = result_set(1, status::kAutocommit | status::kMoreResultsExist, caps);
        std::vector<std::string> all(a);
        all.insert(all.end(), b.begin(), b.end());
        all.push_back(ok(status::kAutocommit, caps));
        feed_all(t, all, TrackerStatus::complete);
        CHECK(t.result_sets() == 2);
        CHECK(t.rows() == 3);
    }
}

TEST_CASE("tracker: ERR in the middle of rows ends the response") {
    for (Capabilities caps : {kEof, kNoEof}) {
        auto t = tracker(CommandByte::query, caps);
        auto rs = result_set(2, 0, caps);
        rs.back() = err(1365);
        feed_all(t, rs, TrackerStatus::complete);
        CHECK(t.rows() == 2);
        CHECK(t.error()->code == 1365);
    }
}

TEST_CASE("tracker: progress reports are skipped anywhere") {
    auto t = tracker(CommandByte::query, kEof);
    auto rs = result_set(1, 0, kEof);
    std::vector<std::string> with{kProgress};
    for (auto& pkt : rs) {
        with.push_back(pkt);
        with.push_back(kProgress);
    }
    with.pop_back();
    feed_all(t, with, TrackerStatus::complete);
    CHECK(t.progress_reports() == rs.size());
    CHECK_FALSE(t.error().has_value());
}

TEST_CASE("tracker: LOCAL INFILE: request, client content and empty packet, then OK") {
    auto t = tracker(CommandByte::query, kEof);
    CHECK(t.on_server_payload(p(LocalInfileRequest{"/tmp/x.csv"}, kEof)) == TrackerStatus::need_client);
    CHECK(t.on_server_payload(ok(0, kEof)) == TrackerStatus::protocol_error);

    auto u = tracker(CommandByte::query, kEof);
    CHECK(u.on_server_payload(p(LocalInfileRequest{"/tmp/x.csv"}, kEof)) == TrackerStatus::need_client);
    CHECK(u.on_client_payload("1,2\n3,4\n") == TrackerStatus::need_client);
    CHECK(u.on_client_payload("") == TrackerStatus::need_server);
    CHECK(u.on_server_payload(ok(status::kAutocommit, kEof)) == TrackerStatus::complete);
}

TEST_CASE("tracker: COM_STMT_PREPARE blocks, each with and without EOF") {
    for (Capabilities caps : {kEof, kNoEof}) {
        bool eofs = !has(caps, cap::kDeprecateEof);
        auto t = tracker(CommandByte::stmt_prepare, caps);
        std::vector<std::string> seq{p(PrepareOk{7, 2, 3, 0}, caps), col(caps), col(caps), col(caps)};
        if (eofs) seq.push_back(eof(0, caps));
        seq.push_back(col(caps));
        seq.push_back(col(caps));
        if (eofs) seq.push_back(eof(status::kAutocommit, caps));
        feed_all(t, seq, TrackerStatus::complete);
        REQUIRE(t.prepare_ok().has_value());
        CHECK(t.prepare_ok()->statement_id == 7);
        CHECK(t.prepare_ok()->params == 3);
        CHECK(t.prepare_ok()->columns == 2);

        auto none = tracker(CommandByte::stmt_prepare, caps);
        feed_all(none, {p(PrepareOk{8, 0, 0, 0}, caps)}, TrackerStatus::complete);
        auto cols_only = tracker(CommandByte::stmt_prepare, caps);
        std::vector<std::string> c{p(PrepareOk{9, 1, 0, 0}, caps), col(caps)};
        if (eofs) c.push_back(eof(0, caps));
        feed_all(cols_only, c, TrackerStatus::complete);
        auto failed = tracker(CommandByte::stmt_prepare, caps);
        feed_all(failed, {err()}, TrackerStatus::complete);
    }
}

TEST_CASE("tracker: COM_STMT_EXECUTE binary rows; cursor opens with defs then EOF") {
    std::vector<ColumnType> types{ColumnType::long_};
    std::string brow = p(BinaryRow{{BinaryValue{ColumnType::long_, std::string("\x01\0\0\0", 4)}}}, kEof);
    auto t = tracker(CommandByte::stmt_execute, kEof);
    feed_all(t, {count(1, kEof), col(kEof), eof(0, kEof), brow, brow, eof(status::kAutocommit, kEof)},
             TrackerStatus::complete);
    CHECK(t.rows() == 2);
    CHECK_FALSE(t.cursor_opened());

    auto c = tracker(CommandByte::stmt_execute, kEof);
    feed_all(c, {count(1, kEof), col(kEof), eof(status::kCursorExists | status::kAutocommit, kEof)},
             TrackerStatus::complete);
    CHECK(c.cursor_opened());

    auto d = tracker(CommandByte::stmt_execute, kNoEof);
    feed_all(d, {count(1, kNoEof), col(kNoEof), ok(status::kCursorExists, kNoEof, kEofHeader)},
             TrackerStatus::complete);
    CHECK(d.cursor_opened());
}

TEST_CASE("tracker: COM_STMT_EXECUTE with cached metadata (no definitions resent)") {
    Capabilities caps = kEof | cap::kMariaDbCacheMetadata;
    auto t = tracker(CommandByte::stmt_execute, caps);
    std::string brow = p(BinaryRow{{BinaryValue{ColumnType::tiny, "\x01"}}}, caps);
    feed_all(t, {p(ColumnCount{1, false}, caps), eof(0, caps), brow, eof(0, caps)}, TrackerStatus::complete);
    CHECK(t.rows() == 1);
}

TEST_CASE("tracker: COM_STMT_FETCH rows then EOF, with or without LAST_ROW_SENT") {
    std::string brow = p(BinaryRow{{BinaryValue{ColumnType::tiny, "\x01"}}}, kEof);
    auto t = tracker(CommandByte::stmt_fetch, kEof);
    feed_all(t, {brow, brow, eof(status::kCursorExists, kEof)}, TrackerStatus::complete);
    CHECK(t.rows() == 2);
    auto last = tracker(CommandByte::stmt_fetch, kEof);
    feed_all(last, {brow, eof(status::kCursorExists | status::kLastRowSent, kEof)}, TrackerStatus::complete);
    CHECK(has_status(last.server_status(), status::kLastRowSent));
    auto e = tracker(CommandByte::stmt_fetch, kEof);
    feed_all(e, {err(1243)}, TrackerStatus::complete);
}

TEST_CASE("tracker: COM_FIELD_LIST, COM_STATISTICS, silent commands") {
    auto f = tracker(CommandByte::field_list, kEof);
    feed_all(f, {col(kEof), col(kEof), eof(0, kEof)}, TrackerStatus::complete);
    auto fe = tracker(CommandByte::field_list, kEof);
    feed_all(fe, {err(1146)}, TrackerStatus::complete);

    auto s = tracker(CommandByte::statistics, kEof);
    // Not an OK: a bare string. Its first byte must not be mistaken for anything.
    feed_all(s, {"Uptime: 12  Threads: 1  Questions: 3"}, TrackerStatus::complete);

    for (CommandByte c : {CommandByte::stmt_close, CommandByte::stmt_send_long_data, CommandByte::quit}) {
        auto t = tracker(c, kEof);
        CHECK(t.status() == TrackerStatus::complete);
        CHECK(t.on_server_payload(ok(0, kEof)) == TrackerStatus::protocol_error);
    }
}

TEST_CASE("tracker: OK-only commands and EOF-or-OK commands") {
    for (CommandByte c : {CommandByte::ping, CommandByte::init_db, CommandByte::reset_connection,
                          CommandByte::stmt_reset, CommandByte::process_kill}) {
        auto t = tracker(c, kEof);
        feed_all(t, {ok(status::kAutocommit, kEof)}, TrackerStatus::complete);
        auto bad = tracker(c, kEof);
        CHECK(bad.on_server_payload(eof(0, kEof)) == TrackerStatus::protocol_error);
    }
    auto so = tracker(CommandByte::set_option, kEof);
    feed_all(so, {eof(status::kAutocommit, kEof)}, TrackerStatus::complete);
    auto so2 = tracker(CommandByte::set_option, kNoEof);
    feed_all(so2, {ok(status::kAutocommit, kNoEof, kEofHeader)}, TrackerStatus::complete);
    auto so3 = tracker(CommandByte::set_option, kNoEof);
    feed_all(so3, {ok(status::kAutocommit, kNoEof)}, TrackerStatus::complete);
}

TEST_CASE("tracker: COM_CHANGE_USER with an auth switch exchange") {
    auto t = tracker(CommandByte::change_user, kEof);
    std::string sw = p(AuthSwitchRequest{"mysql_native_password", std::string(20, 'a') + '\0'}, kEof);
    CHECK(t.on_server_payload(sw) == TrackerStatus::need_client);
    CHECK(t.on_client_payload(std::string(20, 'r')) == TrackerStatus::need_server);
    CHECK(t.on_server_payload(ok(status::kAutocommit, kEof)) == TrackerStatus::complete);

    auto sha = ResponseTracker::for_login(kEof);
    CHECK(sha.on_server_payload(p(AuthMoreData{"\x03"}, kEof)) == TrackerStatus::need_server);
    CHECK(sha.on_server_payload(ok(0, kEof)) == TrackerStatus::complete);

    auto full = ResponseTracker::for_login(kEof);
    CHECK(full.on_server_payload(p(AuthMoreData{"\x04"}, kEof)) == TrackerStatus::need_client);
    CHECK(full.on_client_payload("password\0") == TrackerStatus::need_server);
    CHECK(full.on_server_payload(err(1045)) == TrackerStatus::complete);
    CHECK(full.error()->code == 1045);
}

TEST_CASE("tracker: unrelayable commands are refused up front; unknown ones expect the server's ERR") {
    CHECK(tracker(CommandByte::binlog_dump, kEof).status() == TrackerStatus::protocol_error);
    auto unknown = ResponseTracker(Command{0x42}, kEof);
    CHECK(unknown.on_server_payload(err(1047)) == TrackerStatus::complete);
}

TEST_CASE("tracker: works on payload heads of long packets") {
    auto t = tracker(CommandByte::query, kEof);
    feed_all(t, {count(1, kEof), col(kEof), eof(0, kEof)}, TrackerStatus::need_server);
    std::string big_row_head = row(std::string(100, 'x')).substr(0, kPayloadHeadBytes);
    CHECK(t.on_server_payload(big_row_head, 17000000) == TrackerStatus::need_server);
    CHECK(t.on_server_payload(eof(0, kEof)) == TrackerStatus::complete);
    CHECK(t.rows() == 1);
}
