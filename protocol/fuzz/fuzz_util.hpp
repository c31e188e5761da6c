#pragma once
// Shared helpers for the libFuzzer targets: the round-trip property every message must keep.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/byte_reader.hpp"
#include "protocol/message.hpp"

namespace sluice::protocol::fuzz {

inline void check(bool ok) {
    if (!ok) __builtin_trap();
}

// If `bytes` parse as M, re-encoding and re-parsing must give the same value, and the re-encoding must be
// stable. Also: a failed parse never crashes or over-reads (ASan checks that).
template <class M, class... Extra>
void round_trip(std::string_view bytes, Capabilities caps, Extra... extra) {
    ByteReader r(bytes);
    auto first = M::parse(r, caps, extra...);
    if (!first) return;
    auto encoded = encode(*first, caps);
    ByteReader r2(encoded);
    auto second = M::parse(r2, caps, extra...);
    check(second.ok());
    check(*second == *first);
    check(encode(*second, caps) == encoded);
}

// Capability sets picked by one input byte, so the fuzzer explores every layout.
inline Capabilities caps_from(std::uint8_t b) {
    Capabilities c = cap::kProtocol41 | cap::kTransactions | cap::kSecureConnection | cap::kPluginAuth;
    if (b & 0x01) c |= cap::kDeprecateEof;
    if (b & 0x02) c |= cap::kSessionTrack;
    if (b & 0x04) c |= cap::kConnectAttrs;
    if (b & 0x08) c |= cap::kMariaDbExtendedMetadata;
    if (b & 0x10) c |= cap::kMariaDbCacheMetadata;
    if (b & 0x20) c |= cap::kMariaDbProgress;
    if (b & 0x40) c &= ~cap::kProtocol41;
    if (b & 0x80) c &= ~cap::kSecureConnection;
    return c;
}

}  // namespace sluice::protocol::fuzz
