#pragma once
// A fixed set of short ASCII words, looked up case-insensitively without allocation or string compares: a
// word of up to 16 bytes is packed, upper-cased and zero-padded, into two big-endian 64-bit integers, which
// keep the words' alphabetical order, so a lookup is a binary search over integer pairs. The classifier and
// the fingerprint look up most words of every statement; built at compile time.

#include <algorithm>
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice::router {

struct PackedWord {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
    constexpr auto operator<=>(const PackedWord&) const = default;
};

inline constexpr std::size_t kMaxPackedWord = 16;

// False when `word` is empty, longer than kMaxPackedWord or holds a NUL byte (then it is in no set). One pass
// over the word's own bytes: the padding is already zero.
constexpr bool pack_word(std::string_view word, PackedWord& out) {
    const std::size_t n = word.size();
    if (n == 0 || n > kMaxPackedWord) return false;
    std::uint64_t parts[2] = {0, 0};
    for (std::size_t i = 0; i < n; ++i) {
        auto c = static_cast<unsigned char>(word[i]);
        if (c == 0) return false;
        if (static_cast<unsigned char>(c - 'a') < 26) c = static_cast<unsigned char>(c - 'a' + 'A');
        parts[i / 8] |= std::uint64_t{c} << (56 - 8 * (i % 8));
    }
    out = PackedWord{parts[0], parts[1]};
    return true;
}

template <std::size_t N>
class KeywordSet {
  public:
    // Every word must pack (a compile error otherwise, when the set is constexpr).
    constexpr explicit KeywordSet(const std::array<std::string_view, N>& words) {
        for (std::size_t i = 0; i < N; ++i)
            if (!pack_word(words[i], keys_[i])) throw "KeywordSet: a word longer than 16 bytes";
        std::sort(keys_.begin(), keys_.end());
    }

    bool contains(std::string_view word) const {
        PackedWord k;
        return pack_word(word, k) && std::binary_search(keys_.begin(), keys_.end(), k);
    }

  private:
    std::array<PackedWord, N> keys_{};
};

}  // namespace sluice::router
