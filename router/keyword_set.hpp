#pragma once
// A fixed set of short ASCII words, looked up case-insensitively without allocation or string compares: a
// word of up to 16 bytes is packed, upper-cased and zero-padded, into two big-endian 64-bit integers, and
// looked up in an open-addressing hash table at most a quarter full (one probe, rarely two). The classifier
// and the fingerprint look up most words of every statement; built at compile time.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice::router {

struct PackedWord {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
    constexpr bool operator==(const PackedWord&) const = default;
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
    // Every word must pack (a compile error otherwise, when the set is constexpr); a repeated word keeps its
    // first position.
    constexpr explicit KeywordSet(const std::array<std::string_view, N>& words) {
        for (std::size_t i = 0; i < N; ++i) {
            PackedWord k;
            if (!pack_word(words[i], k)) throw "KeywordSet: a word longer than 16 bytes";
            std::size_t s = slot(k);
            while (table_[s].word != PackedWord{} && table_[s].word != k) s = (s + 1) & kMask;
            if (table_[s].word == k) continue;
            table_[s] = Entry{k, static_cast<int>(i)};
        }
    }

    // The word's position in the array the set was built from (the first, if repeated); -1 when absent.
    constexpr int index_of(std::string_view word) const {
        PackedWord k;
        if (!pack_word(word, k)) return -1;
        // No word packs to {0, 0} (it has at least one non-NUL byte): that marks a free slot.
        for (std::size_t s = slot(k);; s = (s + 1) & kMask) {
            if (table_[s].word == k) return table_[s].index;
            if (table_[s].word == PackedWord{}) return -1;
        }
    }
    constexpr bool contains(std::string_view word) const { return index_of(word) >= 0; }

  private:
    struct Entry {
        PackedWord word;
        int index = -1;
    };
    static constexpr std::size_t kSize = std::bit_ceil(4 * N);  // load factor at most 1/4
    static constexpr std::size_t kMask = kSize - 1;
    static constexpr int kBits = std::countr_zero(kSize);

    // Multiplicative hashing: the product's top bits depend on every byte of the word.
    static constexpr std::size_t slot(const PackedWord& k) {
        std::uint64_t h = (k.hi ^ (k.lo * 0x9E3779B97F4A7C15ULL)) * 0xC2B2AE3D27D4EB4FULL;
        return kBits == 0 ? 0 : static_cast<std::size_t>(h >> (64 - kBits));
    }

    std::array<Entry, kSize> table_{};
};

}  // namespace sluice::router
