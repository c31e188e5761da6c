#pragma once
// Packet framing: a 3-byte little-endian payload length and a 1-byte sequence id before every payload.
// A payload of kMaxPayload bytes or more is split into kMaxPayload-sized packets, the last one shorter
// (possibly empty).

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace sluice::protocol {

inline constexpr std::size_t kHeaderSize = 4;
inline constexpr std::size_t kMaxPayload = 0xFFFFFF;  // 16 MiB - 1

// Appends `payload` as one or more framed packets starting at sequence id `seq`; returns the next sequence
// id.
std::uint8_t append_packets(std::vector<std::uint8_t>& out, std::uint8_t seq, std::string_view payload);

inline std::string_view as_view(const std::vector<std::uint8_t>& v) {
    return {reinterpret_cast<const char*>(v.data()), v.size()};
}

}  // namespace sluice::protocol
