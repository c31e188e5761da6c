#include "protocol/packet.hpp"

#include <algorithm>

namespace sluice::protocol {

std::uint8_t append_packets(std::vector<std::uint8_t>& out, std::uint8_t seq, std::string_view payload) {
    // A payload that is an exact multiple of kMaxPayload (including a 0-byte payload) ends with an
    // empty packet, so the loop always emits at least one packet shorter than kMaxPayload.
    // At most one allocation (push_back on an empty vector would grow it to 1, 2, 4 bytes, then again for the
    // payload); doubling keeps many appends to one buffer (result sets) amortised.
    std::size_t need = out.size() + payload.size() + kHeaderSize * (payload.size() / kMaxPayload + 1);
    if (need > out.capacity()) out.reserve(std::max(need, 2 * out.capacity()));
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
