#pragma once
// Bounds-checked reads of the protocol's wire primitives over a borrowed buffer. Every read either consumes
// exactly its value or fails and consumes nothing, so a caller can never act on a half-read field.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace sluice::protocol {

// First bytes of a length-encoded integer that announce a wider value (or NULL in a text row).
inline constexpr std::uint8_t kLenencNull = 0xFB;
inline constexpr std::uint8_t kLenenc2 = 0xFC;
inline constexpr std::uint8_t kLenenc3 = 0xFD;
inline constexpr std::uint8_t kLenenc8 = 0xFE;

class ByteReader {
  public:
    explicit ByteReader(std::span<const std::uint8_t> buf) : buf_(buf) {}
    explicit ByteReader(std::string_view s)
        : buf_(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()) {}

    std::size_t remaining() const { return buf_.size() - pos_; }
    std::size_t position() const { return pos_; }
    bool empty() const { return remaining() == 0; }
    std::optional<std::uint8_t> peek() const {
        if (empty()) return std::nullopt;
        return buf_[pos_];
    }

    std::optional<std::uint8_t> u8() { return fixed<std::uint8_t>(1); }
    std::optional<std::uint16_t> u16() { return fixed<std::uint16_t>(2); }
    std::optional<std::uint32_t> u24() { return fixed<std::uint32_t>(3); }
    std::optional<std::uint32_t> u32() { return fixed<std::uint32_t>(4); }
    std::optional<std::uint64_t> u48() { return fixed<std::uint64_t>(6); }
    std::optional<std::uint64_t> u64() { return fixed<std::uint64_t>(8); }

    // Length-encoded integer. 0xFB (NULL) and 0xFF (an ERR marker) are not integers: nullopt, nothing
    // consumed.
    std::optional<std::uint64_t> lenenc() {
        auto first = peek();
        if (!first) return std::nullopt;
        std::size_t width = 0;
        switch (*first) {
            case kLenenc2: width = 2; break;
            case kLenenc3: width = 3; break;
            case kLenenc8: width = 8; break;
            case kLenencNull:
            case 0xFF: return std::nullopt;
            default: ++pos_; return *first;
        }
        if (remaining() < 1 + width) return std::nullopt;
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < width; ++i) v |= std::uint64_t{buf_[pos_ + 1 + i]} << (8 * i);
        pos_ += 1 + width;
        return v;
    }

    std::optional<std::string_view> bytes(std::size_t n) {
        if (remaining() < n) return std::nullopt;
        std::string_view s(reinterpret_cast<const char*>(buf_.data() + pos_), n);
        pos_ += n;
        return s;
    }

    std::optional<std::string_view> lenenc_string() {
        std::size_t save = pos_;
        auto n = lenenc();
        if (!n) return std::nullopt;
        if (*n > remaining()) {
            pos_ = save;
            return std::nullopt;
        }
        return bytes(static_cast<std::size_t>(*n));
    }

    // NUL-terminated string; the terminator is consumed but not returned.
    std::optional<std::string_view> null_string() {
        for (std::size_t i = pos_; i < buf_.size(); ++i) {
            if (buf_[i] == 0) {
                std::string_view s(reinterpret_cast<const char*>(buf_.data() + pos_), i - pos_);
                pos_ = i + 1;
                return s;
            }
        }
        return std::nullopt;
    }

    std::string_view rest() {
        std::string_view s(reinterpret_cast<const char*>(buf_.data() + pos_), remaining());
        pos_ = buf_.size();
        return s;
    }

    bool skip(std::size_t n) {
        if (remaining() < n) return false;
        pos_ += n;
        return true;
    }

  private:
    template <class T>
    std::optional<T> fixed(std::size_t width) {
        if (remaining() < width) return std::nullopt;
        T v = 0;
        for (std::size_t i = 0; i < width; ++i) v |= static_cast<T>(T{buf_[pos_ + i]} << (8 * i));
        pos_ += width;
        return v;
    }

    std::span<const std::uint8_t> buf_;
    std::size_t pos_ = 0;
};

}  // namespace sluice::protocol
