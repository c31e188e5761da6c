#pragma once
// Generic glue between message structs and framing: encode a message to a payload, or frame it directly.

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/byte_writer.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/packet.hpp"

namespace sluice::protocol {

template <class M>
std::vector<std::uint8_t> encode(const M& m, Capabilities caps) {
    std::vector<std::uint8_t> payload;
    ByteWriter w(payload);
    m.write(w, caps);
    return payload;
}

// Appends `m` as framed packet(s) starting at `seq`; returns the next sequence id.
template <class M>
std::uint8_t append_message(std::vector<std::uint8_t>& out, std::uint8_t seq, const M& m, Capabilities caps) {
    return append_packets(out, seq, as_view(encode(m, caps)));
}

}  // namespace sluice::protocol
