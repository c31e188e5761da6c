#pragma once
// Shared checks for message structs: parse(write(x)) == x, and what every shorter prefix does.

#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "protocol/message.hpp"

namespace sluice::protocol::test {

template <class M, class... Extra>
void check_round_trip(const M& m, Capabilities caps, Extra... extra) {
    auto bytes = encode(m, caps);
    ByteReader r(bytes);
    auto got = M::parse(r, caps, extra...);
    REQUIRE(got.ok());
    CHECK(*got == m);
    CHECK(r.empty());
}

inline bool no_prefix_is_legal(std::size_t) {
    return false;
}

// Every prefix shorter than the encoding must fail to parse, unless `legal(n)` says that prefix is itself a
// complete message (then it must parse, to a value that differs from `m`).
template <class M, class... Extra>
void check_truncations(const M& m, Capabilities caps, const std::function<bool(std::size_t)>& legal,
                       Extra... extra) {
    auto bytes = encode(m, caps);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        CAPTURE(n);
        ByteReader r(std::span<const std::uint8_t>(bytes.data(), n));
        auto got = M::parse(r, caps, extra...);
        if (legal(n)) {
            CHECK(got.ok());
        } else {
            CHECK_FALSE(got.ok());
        }
    }
}

template <class M, class... Extra>
void check_codec(const M& m, Capabilities caps, Extra... extra) {
    check_round_trip(m, caps, extra...);
    check_truncations(m, caps, no_prefix_is_legal, extra...);
}

inline std::vector<std::uint8_t> bytes_of(std::string_view s) {
    return {s.begin(), s.end()};
}

}  // namespace sluice::protocol::test
