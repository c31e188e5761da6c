#include "protocol/packet.hpp"

#include <algorithm>

namespace sluice::protocol {

std::uint8_t append_packets(std::vector<std::uint8_t>& out, std::uint8_t seq, std::string_view payload) {
    // A payload that is an exact multiple of kMaxPayload (including a 0-byte payload) ends with an
    // empty packet, so the loop always emits at least one packet shorter than kMaxPayload.
    std::size_t off = 0;
    for (;;) {
        std::size_t n = std::min(kMaxPayload, payload.size() - off);
        out.push_back(static_cast<std::uint8_t>(n));
        out.push_back(static_cast<std::uint8_t>(n >> 8));
        out.push_back(static_cast<std::uint8_t>(n >> 16));
        out.push_back(seq++);
        out.insert(out.end(), payload.begin() + static_cast<std::ptrdiff_t>(off),
                   payload.begin() + static_cast<std::ptrdiff_t>(off + n));
        off += n;
        if (n < kMaxPayload) return seq;
    }
}

}  // namespace sluice::protocol
