#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

TEST_CASE("keyword set: index_of gives the word's position in the array, the first when repeated") {
    for (std::size_t i = 0; i < kWords.size(); ++i) CHECK(kSet.index_of(kWords[i]) == static_cast<int>(i));
    CHECK(kSet.index_of("straight_join") == 3);
    CHECK(kSet.index_of("B") == -1);
    constexpr KeywordSet<3> repeated{std::array<std::string_view, 3>{"ON", "OFF", "on"}};
    CHECK(repeated.index_of("On") == 0);
    CHECK(repeated.index_of("off") == 1);
}

TEST_CASE("keyword set: many words alike (colliding slots are probed past)") {
    // Every word of 1 and 2 letters from A-Z, and 16-byte words that differ only in their last byte.
    std::vector<std::string> words;
    for (char a = 'A'; a <= 'Z'; ++a) {
        words.push_back(std::string(1, a));
        for (char b = 'A'; b <= 'Z'; ++b) words.push_back(std::string{a, b});
        words.push_back(std::string(15, 'Q') + a);
    }
    REQUIRE(words.size() == 728);
    std::array<std::string_view, 728> views{};
    for (std::size_t i = 0; i < words.size(); ++i) views[i] = words[i];
    const KeywordSet<728> set{views};
    for (const std::string& w : words) {
        CHECK(set.contains(w));
        std::string lower = w;
        for (char& c : lower) c = static_cast<char>(c - 'A' + 'a');
        CHECK(set.contains(lower));
    }
    for (char a = 'A'; a <= 'Z'; ++a) {
        CHECK_FALSE(set.contains(std::string{a, a, a}));
        CHECK_FALSE(set.contains(std::string(15, 'Q') + a + a));
        CHECK_FALSE(set.contains(std::string(14, 'Q') + a));
        CHECK_FALSE(set.contains(std::string{a, '1'}));
    }
}

TEST_CASE("keyword set: a word packs upper-cased and zero-padded; what cannot pack is in no set") {
    PackedWord lower, upper, other;
    REQUIRE(pack_word("straight_join", lower));
    REQUIRE(pack_word("STRAIGHT_JOIN", upper));
    CHECK(lower == upper);
    REQUIRE(pack_word("STRAIGHT_JOINS", other));
    CHECK(other != upper);
    PackedWord a;
    REQUIRE(pack_word("A", a));
    CHECK(a.hi == std::uint64_t{'A'} << 56);  // the first byte is the most significant, the rest zero
    CHECK(a.lo == 0);
    PackedWord x;
    CHECK_FALSE(pack_word(std::string(17, 'x'), x));
    CHECK_FALSE(pack_word("", x));
    CHECK_FALSE(pack_word(std::string_view("A\0B", 3), x));
}
