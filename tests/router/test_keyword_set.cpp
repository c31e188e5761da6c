#include <doctest/doctest.h>

#include <array>
#include <string>
#include <string_view>

#include "router/keyword_set.hpp"

using namespace sluice::router;

namespace {
constexpr std::array<std::string_view, 6> kWords{"FROM",          "AS",          "A",
                                                 "STRAIGHT_JOIN", "SYSTEM_TIME", "ZZZZZZZZZZZZZZZZ"};
constexpr KeywordSet kSet{kWords};
}  // namespace

TEST_CASE("keyword set: case-insensitive, whole words only") {
    for (std::string_view w : kWords) CHECK(kSet.contains(w));
    CHECK(kSet.contains("from"));
    CHECK(kSet.contains("FrOm"));
    CHECK(kSet.contains("straight_join"));
    CHECK(kSet.contains("a"));
    CHECK_FALSE(kSet.contains("FRO"));    // a prefix of a member
    CHECK_FALSE(kSet.contains("FROMS"));  // a member is a prefix of it
    CHECK_FALSE(kSet.contains("ASA"));
    CHECK_FALSE(kSet.contains("B"));
    CHECK_FALSE(kSet.contains(""));
    CHECK_FALSE(kSet.contains("ZZZZZZZZZZZZZZZZZ"));          // 17 bytes: longer than any member can be
    CHECK_FALSE(kSet.contains(std::string_view("AS\0", 3)));  // NUL is not padding
    CHECK_FALSE(kSet.contains("\xC3\x89TAT"));                // non-ASCII is not folded
    CHECK_FALSE(kSet.contains("STRAIGHT_JOIN_"));
}

TEST_CASE("keyword set: packing keeps alphabetical order") {
    PackedWord a, ab, b;
    REQUIRE(pack_word("A", a));
    REQUIRE(pack_word("ab", ab));
    REQUIRE(pack_word("B", b));
    CHECK(a < ab);
    CHECK(ab < b);
    PackedWord x;
    CHECK_FALSE(pack_word(std::string(17, 'x'), x));
    CHECK_FALSE(pack_word("", x));
}
