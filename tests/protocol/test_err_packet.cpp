#include <doctest/doctest.h>

#include "protocol/err_packet.hpp"

using namespace sluice::protocol;

TEST_CASE("ERR round-trips with and without protocol 4.1") {
    ErrPacket e =
        ErrPacket::make(er::kAccessDenied, "Access denied for user 'x'@'127.0.0.1' (using password: YES)");
    for (Capabilities caps : {cap::kProtocol41, Capabilities{0}}) {
        std::vector<std::uint8_t> buf;
        ByteWriter w(buf);
        e.write(w, caps);
        ByteReader r(buf);
        auto got = ErrPacket::parse(r, caps);
        REQUIRE(got.ok());
        CHECK(got->code == 1045);
        CHECK(got->message == e.message);
        CHECK(got->sql_state == (caps ? "28000" : ""));
    }
}

TEST_CASE("ERR parse: every truncation of the header is an error, never a crash") {
    ErrPacket e = ErrPacket::make(er::kBadDb, "Unknown database 'nope'");
    std::vector<std::uint8_t> buf;
    ByteWriter w(buf);
    e.write(w, cap::kProtocol41);
    // Cut inside the header or the code, or after '#' inside the SQLSTATE: an error. (Cut right after the
    // code is a valid ERR without SQLSTATE, as servers send before the handshake completes.)
    for (std::size_t n : {0, 1, 2, 4, 5, 6, 7, 8}) {
        CAPTURE(n);
        ByteReader r(std::span<const std::uint8_t>(buf.data(), n));
        CHECK_FALSE(ErrPacket::parse(r, cap::kProtocol41).ok());
    }
}

TEST_CASE("ERR parse refuses MariaDB progress reports and other headers") {
    std::vector<std::uint8_t> progress{0xFF, 0xFF, 0xFF, 1, 1, 2};
    ByteReader rp(progress);
    auto p = ErrPacket::parse(rp, cap::kProtocol41);
    REQUIRE_FALSE(p.ok());
    CHECK(p.error() == ParseError::unsupported);

    std::vector<std::uint8_t> ok{0x00, 0, 0};
    ByteReader ro(ok);
    CHECK(ErrPacket::parse(ro, cap::kProtocol41).error() == ParseError::malformed);
}

TEST_CASE("ERR without SQLSTATE under protocol 4.1 re-encodes without inventing one (fuzz finding)") {
    std::vector<std::uint8_t> raw{0xFF, 0x15, 0x04, 'n', 'o', ' ', 's', 't', 'a', 't', 'e'};
    ByteReader r(raw);
    auto e = ErrPacket::parse(r, cap::kProtocol41);
    REQUIRE(e.ok());
    CHECK(e->sql_state.empty());
    std::vector<std::uint8_t> again;
    ByteWriter w(again);
    e->write(w, cap::kProtocol41);
    CHECK(again == raw);
}
