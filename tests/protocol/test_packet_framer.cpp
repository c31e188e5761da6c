#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "protocol/packet.hpp"
#include "protocol/packet_framer.hpp"

using namespace sluice::protocol;

namespace {
std::string framed(std::string_view payload, std::uint8_t seq) {
    std::vector<std::uint8_t> out;
    append_packets(out, seq, payload);
    return std::string(as_view(out));
}

enum class Mode { feed, lend };

// Feeds `wire` to a framer `chunk` bytes at a time and collects every payload. Lent chunks are overwritten
// after keep(): a payload read from one later than that would come out wrong.
std::vector<std::string> deframe(std::string_view wire, std::size_t chunk, std::size_t max = 1 << 30,
                                 Mode mode = Mode::feed) {
    PacketFramer f(max);
    std::vector<std::string> got;
    for (std::size_t off = 0; off < wire.size(); off += chunk) {
        std::string piece(wire.substr(off, chunk));
        if (mode == Mode::lend)
            f.lend(piece);
        else
            f.feed(piece);
        for (;;) {
            auto r = f.next();
            REQUIRE(r.ok());
            if (!r->has_value()) break;
            got.emplace_back((*r)->payload);
        }
        f.keep();
        piece.assign(piece.size(), '#');
    }
    CHECK(f.buffered() == 0);
    return got;
}
}  // namespace

TEST_CASE("framer: payloads survive every split of the stream") {
    std::string wire = framed("\x03SELECT 1", 0) + framed("", 1) + framed(std::string(300, 'z'), 2);
    for (Mode mode : {Mode::feed, Mode::lend})
        for (std::size_t chunk = 1; chunk <= wire.size(); ++chunk) {
            CAPTURE(chunk);
            CAPTURE(mode == Mode::lend);
            auto got = deframe(wire, chunk, 1 << 30, mode);
            REQUIRE(got.size() == 3);
            CHECK(got[0] == "\x03SELECT 1");
            CHECK(got[1].empty());
            CHECK(got[2] == std::string(300, 'z'));
        }
}

TEST_CASE("framer: whole packets of a lent chunk are read in place, a partial one is kept") {
    std::string wire = framed("\x03SELECT 1", 0) + framed("\x03SELECT 2", 0);
    PacketFramer f(1 << 20);
    std::string chunk = wire.substr(0, wire.size() - 3);  // the second packet lacks its last 3 bytes
    f.lend(chunk);
    auto first = f.next();
    REQUIRE(first.ok());
    REQUIRE(first->has_value());
    CHECK((*first)->payload == "\x03SELECT 1");
    CHECK((*first)->payload.data() == chunk.data() + kHeaderSize);  // not copied
    f.expect_sequence(0);
    auto none = f.next();
    REQUIRE(none.ok());
    CHECK(!none->has_value());
    f.keep();
    chunk.assign(chunk.size(), '#');  // the caller's buffer goes away
    CHECK(f.buffered() == wire.size() - 3 - framed("\x03SELECT 1", 0).size());
    std::string rest = wire.substr(wire.size() - 3);
    f.lend(rest);  // joins the kept start of the packet (copied)
    auto second = f.next();
    REQUIRE(second.ok());
    REQUIRE(second->has_value());
    CHECK((*second)->payload == "\x03SELECT 2");
    f.keep();
    CHECK(f.buffered() == 0);
}

TEST_CASE("framer: a new payload limit keeps what is buffered") {
    PacketFramer f(8);
    std::string wire = framed("\x03SELECT 12345", 0);
    f.feed(wire);
    f.set_max_payload(1 << 20);
    auto r = f.next();
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    CHECK((*r)->payload == "\x03SELECT 12345");
}

TEST_CASE("framer: joins 16 MiB - 1 continuations, including the trailing empty packet") {
    for (std::size_t size : {kMaxPayload - 1, kMaxPayload, kMaxPayload + 1, 2 * kMaxPayload}) {
        CAPTURE(size);
        std::string payload(size, 'b');
        payload[0] = 'a';
        payload[size - 1] = 'c';
        std::string wire =
            framed(payload, 0) + framed("next", static_cast<std::uint8_t>(size / kMaxPayload + 1));
        for (Mode mode : {Mode::feed, Mode::lend}) {
            auto got = deframe(wire, 1 << 20, 1 << 30, mode);
            REQUIRE(got.size() == 2);
            CHECK(got[0] == payload);
            CHECK(got[1] == "next");
        }
    }
}

TEST_CASE("framer: reports first and last sequence ids of a joined payload") {
    PacketFramer f(1 << 30);
    f.expect_sequence(5);
    f.feed(framed(std::string(kMaxPayload, 'q'), 5));
    auto r = f.next();
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    CHECK((*r)->first_seq == 5);
    CHECK((*r)->last_seq == 6);
    CHECK(f.expected_sequence() == 7);
}

TEST_CASE("framer: out-of-order sequence id is an error, and stays one") {
    PacketFramer f(1024);
    f.feed(framed("a", 0) + framed("b", 2));
    auto first = f.next();
    REQUIRE(first.ok());
    CHECK((*first)->payload == "a");
    auto second = f.next();
    REQUIRE_FALSE(second.ok());
    CHECK(second.error() == ParseError::malformed);
    f.feed(framed("c", 2));
    CHECK(f.next().error() == ParseError::malformed);
}

TEST_CASE("framer: sequence check can be switched off, and restarted explicitly") {
    PacketFramer off(1024, SequenceCheck::off);
    off.feed(framed("a", 9));
    CHECK(off.next().ok());

    PacketFramer f(1024);
    f.feed(framed("a", 0));
    CHECK(f.next().ok());
    f.expect_sequence(0);  // a new command from the client
    f.feed(framed("b", 0));
    auto r = f.next();
    REQUIRE(r.ok());
    CHECK((*r)->payload == "b");
}

TEST_CASE("framer: too large is detected from the header before the body arrives") {
    PacketFramer f(100);
    std::string wire = framed(std::string(101, 'x'), 0);
    f.feed(wire.substr(0, kHeaderSize));
    auto r = f.next();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == ParseError::too_large);

    // The limit applies to the joined payload, not each packet.
    PacketFramer g(kMaxPayload + 10);
    std::string big = framed(std::string(kMaxPayload + 11, 'x'), 0);
    g.feed(big.substr(0, kHeaderSize + kMaxPayload + kHeaderSize));
    CHECK(g.next().error() == ParseError::too_large);

    PacketFramer exact(100);
    exact.feed(framed(std::string(100, 'x'), 0));
    CHECK(exact.next().ok());
}

TEST_CASE("inspect_packet: header and available prefix without copying") {
    std::string wire = framed(std::string_view("\x00\x01\x02\x03", 4), 7);
    CHECK_FALSE(inspect_packet(std::string_view(wire).substr(0, 3)).has_value());
    auto v = inspect_packet(std::string_view(wire).substr(0, 6));
    REQUIRE(v.has_value());
    CHECK(v->header == PacketHeader{4, 7});
    CHECK(v->available.size() == 2);
    CHECK_FALSE(v->complete());
    CHECK(v->wire_size() == 8);
    std::string longer = wire + "trailing";
    auto full = inspect_packet(longer);
    REQUIRE(full.has_value());
    CHECK(full->complete());
    CHECK(full->available.data() == longer.data() + kHeaderSize);
}

namespace {
struct Scanned {
    std::vector<PacketHeader> packets;
    std::vector<PayloadHead> payloads;
    std::size_t consumed = 0;
};

Scanned scan_all(std::string_view wire, std::size_t chunk) {
    PacketScanner s(1 << 30);
    s.expect_sequence(1);
    Scanned out;
    for (std::size_t off = 0; off < wire.size(); off += chunk) {
        std::string_view c = wire.substr(off, chunk);
        while (!c.empty()) {
            auto st = s.step(c);
            REQUIRE(st.ok());
            REQUIRE(st->consumed > 0);
            out.consumed += st->consumed;
            if (st->packet_start) out.packets.push_back(*st->packet_start);
            if (st->payload_end) out.payloads.push_back(*st->payload_end);
            c.remove_prefix(st->consumed);
        }
    }
    CHECK(s.at_payload_boundary());
    return out;
}
}  // namespace

TEST_CASE("scanner: packet boundaries and payload heads across arbitrary splits") {
    std::string long_row(200, 'r');
    std::string wire = framed("\x01", 1) + framed("", 2) + framed(long_row, 3) +
                       framed(std::string_view("\xFE\x00\x00\x02\x00", 5), 4);
    for (std::size_t chunk = 1; chunk <= wire.size(); ++chunk) {
        CAPTURE(chunk);
        auto got = scan_all(wire, chunk);
        CHECK(got.consumed == wire.size());
        REQUIRE(got.payloads.size() == 4);
        CHECK(got.payloads[0].head() == "\x01");
        CHECK(got.payloads[1].length == 0);
        CHECK(got.payloads[2].length == 200);
        CHECK(got.payloads[2].head() == long_row.substr(0, kPayloadHeadBytes));
        CHECK(got.payloads[3].head() == std::string_view("\xFE\x00\x00\x02\x00", 5));
        CHECK(got.payloads[3].first_seq == 4);
    }
}

TEST_CASE("scanner: a continued payload ends once, after its last packet") {
    std::string payload(kMaxPayload + 5, 'p');
    std::string wire = framed(payload, 0);
    PacketScanner s(1 << 30);
    std::string_view c = wire;
    int packets = 0, ends = 0;
    while (!c.empty()) {
        auto st = s.step(c);
        REQUIRE(st.ok());
        if (st->packet_start) ++packets;
        if (st->payload_end) {
            ++ends;
            CHECK(st->payload_end->length == payload.size());
        }
        c.remove_prefix(st->consumed);
    }
    CHECK(packets == 2);
    CHECK(ends == 1);
}

TEST_CASE("scanner: sequence and size errors") {
    PacketScanner s(10);
    std::string bad_seq = framed("a", 1);
    CHECK(s.step(bad_seq).error() == ParseError::malformed);

    PacketScanner t(10);
    std::string big = framed(std::string(11, 'x'), 0);
    CHECK(t.step(std::string_view(big).substr(0, kHeaderSize)).error() == ParseError::too_large);
}

namespace {
// As the session scans a response: whole() for packets held entirely by the chunk, step() for the rest.
std::vector<std::pair<std::string, std::size_t>> scan_mixed(std::string_view wire, std::size_t chunk,
                                                            std::size_t* wholes) {
    PacketScanner s(1 << 30);
    s.expect_sequence(1);
    std::vector<std::pair<std::string, std::size_t>> ends;  // payload head, logical length
    for (std::size_t off = 0; off < wire.size(); off += chunk) {
        std::string_view c = wire.substr(off, chunk);
        while (!c.empty()) {
            auto w = s.whole(c);
            if (!w.ok()) FAIL("whole() failed");
            if (*w) {
                ++*wholes;
                ends.emplace_back(std::string((*w)->head), (*w)->length);
                c.remove_prefix((*w)->consumed);
                continue;
            }
            auto st = s.step(c);
            if (!st.ok()) FAIL("step() failed");
            if (st->payload_end)
                ends.emplace_back(std::string(st->payload_end->head()), st->payload_end->length);
            c.remove_prefix(st->consumed);
        }
    }
    CHECK(s.at_payload_boundary());
    return ends;
}
}  // namespace

TEST_CASE("scanner: whole() takes complete packets at once and gives way to step() for the rest") {
    std::string long_row(200, 'r');
    std::string big(kMaxPayload + 3, 'b');  // continued: always step()
    std::string wire = framed("\x01", 1) + framed("", 2) + framed(long_row, 3) + framed(big, 4) +
                       framed(std::string_view("\xFE\x00\x00\x02\x00", 5), 6);
    std::vector<std::pair<std::string, std::size_t>> expected = {
        {"\x01", 1},
        {"", 0},
        {long_row.substr(0, kPayloadHeadBytes), 200},
        {big.substr(0, kPayloadHeadBytes), big.size()},
        {std::string("\xFE\x00\x00\x02\x00", 5), 5}};
    // Small chunks over the 16 MiB payload would take ~16M steps (slow under the sanitizers): 64 bytes and
    // up.
    for (std::size_t chunk : {std::size_t{64}, std::size_t{250}, std::size_t{1} << 20, wire.size()}) {
        CAPTURE(chunk);
        std::size_t wholes = 0;
        CHECK(scan_mixed(wire, chunk, &wholes) == expected);
        if (chunk == wire.size()) CHECK(wholes == 4);  // all but the continued payload
    }
}

TEST_CASE("scanner: whole() checks sequence and size like step()") {
    PacketScanner s(10);
    std::string bad_seq = framed("a", 1);
    CHECK(s.whole(bad_seq).error() == ParseError::malformed);
    CHECK(s.step(bad_seq).error() == ParseError::malformed);  // sticky

    PacketScanner t(10);
    std::string big = framed(std::string(11, 'x'), 0);
    CHECK(t.whole(big).error() == ParseError::too_large);

    PacketScanner u(10);
    std::string ok = framed("abc", 0);
    CHECK_FALSE(*u.whole(std::string_view(ok).substr(0, 5)));  // not all there: step() takes it
    auto w = u.whole(ok);
    REQUIRE(w.ok());
    REQUIRE(*w);
    CHECK((*w)->consumed == ok.size());
    CHECK(u.expected_sequence() == 1);
}

TEST_CASE("scanner: take_whole() runs over accepted whole packets and stops before anything else") {
    std::string wire = framed("r1", 1) + framed("r2", 2) + framed("\xFE", 3) + framed("r4", 4);
    PacketScanner s(1 << 20);
    s.expect_sequence(1);
    std::vector<std::string> taken;
    auto rows = [&](std::string_view head, std::size_t length) {
        CHECK(length == head.size());
        if (head.front() == '\xFE') return false;
        taken.emplace_back(head);
        return true;
    };
    std::size_t n = s.take_whole(wire, rows);
    CHECK(n == 2 * (kHeaderSize + 2));
    CHECK(taken == std::vector<std::string>{"r1", "r2"});
    CHECK(s.expected_sequence() == 3);
    CHECK(s.take_whole(std::string_view(wire).substr(n), rows) == 0);  // refused: left for whole()
    auto w = s.whole(std::string_view(wire).substr(n));
    REQUIRE(w.ok());
    REQUIRE(*w);
    n += (*w)->consumed;
    // An incomplete packet is left alone; so is a wrong sequence id, which whole() then reports.
    CHECK(s.take_whole(std::string_view(wire).substr(n, 4), rows) == 0);
    PacketScanner bad(1 << 20);
    CHECK(bad.take_whole(wire, rows) == 0);  // expects 0, the stream starts at 1
    CHECK(bad.whole(wire).error() == ParseError::malformed);
    // Too large for the scanner: left alone, whole() reports it.
    PacketScanner small(1);
    small.expect_sequence(1);
    CHECK(small.take_whole(wire, rows) == 0);
    CHECK(small.whole(wire).error() == ParseError::too_large);
}
