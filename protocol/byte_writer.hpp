#pragma once
// Appends the protocol's wire primitives to a growable buffer. Writers only append; they never do I/O.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "protocol/byte_reader.hpp"

namespace sluice::protocol {

class ByteWriter {
  public:
    explicit ByteWriter(std::vector<std::uint8_t>& out) : out_(out) {}

    void u8(std::uint8_t v) { out_.push_back(v); }
    void u16(std::uint16_t v) { fixed(v, 2); }
    void u24(std::uint32_t v) { fixed(v, 3); }
    void u32(std::uint32_t v) { fixed(v, 4); }
    void u48(std::uint64_t v) { fixed(v, 6); }
    void u64(std::uint64_t v) { fixed(v, 8); }

    void lenenc(std::uint64_t v) {
        if (v < kLenencNull) {
            u8(static_cast<std::uint8_t>(v));
        } else if (v <= 0xFFFF) {
            u8(kLenenc2);
            fixed(v, 2);
        } else if (v <= 0xFFFFFF) {
            u8(kLenenc3);
            fixed(v, 3);
        } else {
            u8(kLenenc8);
            fixed(v, 8);
        }
    }

    void bytes(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }
    void lenenc_string(std::string_view s) {
        lenenc(s.size());
        bytes(s);
    }
    void null_string(std::string_view s) {
        bytes(s);
        u8(0);
    }
    void zeros(std::size_t n) { out_.insert(out_.end(), n, 0); }

    std::size_t size() const { return out_.size(); }
    std::vector<std::uint8_t>& buffer() { return out_; }

  private:
    void fixed(std::uint64_t v, std::size_t width) {
        for (std::size_t i = 0; i < width; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }

    std::vector<std::uint8_t>& out_;
};

}  // namespace sluice::protocol
