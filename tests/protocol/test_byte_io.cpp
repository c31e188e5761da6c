#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/packet.hpp"

using namespace sluice::protocol;

TEST_CASE("lenenc integers round-trip at every width boundary") {
    for (std::uint64_t v : {0ULL, 1ULL, 250ULL, 251ULL, 0xFFFFULL, 0x10000ULL, 0xFFFFFFULL, 0x1000000ULL,
                            0xFFFFFFFFFFFFFFFFULL}) {
        std::vector<std::uint8_t> buf;
        ByteWriter w(buf);
        w.lenenc(v);
        ByteReader r(buf);
        auto got = r.lenenc();
        REQUIRE(got.has_value());
        CHECK(*got == v);
        CHECK(r.empty());
    }
}

TEST_CASE("lenenc: NULL marker and truncation consume nothing") {
    std::vector<std::uint8_t> null{0xFB};
    ByteReader rn(null);
    CHECK_FALSE(rn.lenenc().has_value());
    CHECK(rn.position() == 0);

    std::vector<std::uint8_t> cut{0xFD, 0x01, 0x02};
    ByteReader rc(cut);
    CHECK_FALSE(rc.lenenc().has_value());
    CHECK(rc.position() == 0);
}

TEST_CASE("lenenc strings refuse lengths beyond the buffer") {
    std::vector<std::uint8_t> buf{0x05, 'a', 'b'};
    ByteReader r(buf);
    CHECK_FALSE(r.lenenc_string().has_value());
    CHECK(r.position() == 0);
}

TEST_CASE("null-terminated strings") {
    std::vector<std::uint8_t> buf{'a', 'b', 0, 'c'};
    ByteReader r(buf);
    CHECK(r.null_string() == "ab");
    CHECK_FALSE(r.null_string().has_value());
    CHECK(r.remaining() == 1);
}

TEST_CASE("append_packets splits at 16 MiB - 1 and ends with a short packet") {
    std::string payload(kMaxPayload, 'x');
    std::vector<std::uint8_t> out;
    std::uint8_t next = append_packets(out, 3, payload);
    CHECK(next == 5);
    REQUIRE(out.size() == kHeaderSize * 2 + kMaxPayload);
    CHECK(out[0] == 0xFF);
    CHECK(out[1] == 0xFF);
    CHECK(out[2] == 0xFF);
    CHECK(out[3] == 3);
    std::size_t tail = kHeaderSize + kMaxPayload;
    CHECK(out[tail] == 0);
    CHECK(out[tail + 3] == 4);

    std::vector<std::uint8_t> empty;
    CHECK(append_packets(empty, 0, "") == 1);
    CHECK(empty == std::vector<std::uint8_t>{0, 0, 0, 0});
}
