// ResponseTracker fed arbitrary exchanges. Input: command byte, capability selector, then records of
// (direction/length: u16, bit 15 = from client) + payload. Invariants: no crash; a tracker fed only payload
// heads agrees with one fed whole payloads, and so does one that tries take_plain_row() first (the session's
// fast path for result rows); once complete or failed it stays so.
#include <cstdint>

#include "protocol/fuzz/fuzz_util.hpp"
#include "protocol/response_tracker.hpp"

using namespace sluice::protocol;

namespace {
constexpr std::uint16_t kFromClient = 0x8000;
constexpr std::uint16_t kLengthMask = 0x7FFF;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    Command cmd{data[0]};
    Capabilities caps = fuzz::caps_from(data[1]);
    ResponseTracker full(cmd, caps), head(cmd, caps), fast(cmd, caps);
    ByteReader r(std::string_view(reinterpret_cast<const char*>(data + 2), size - 2));
    while (!r.empty()) {
        auto tag = r.u16();
        if (!tag) break;
        auto payload = r.bytes(std::min<std::size_t>(*tag & kLengthMask, r.remaining()));
        bool client = (*tag & kFromClient) != 0;
        TrackerStatus before = full.status();
        TrackerStatus a = client ? full.on_client_payload(*payload) : full.on_server_payload(*payload);
        std::string_view h = payload->substr(0, kPayloadHeadBytes);
        TrackerStatus b =
            client ? head.on_client_payload(h, payload->size()) : head.on_server_payload(h, payload->size());
        fuzz::check(a == b);
        TrackerStatus f = client                   ? fast.on_client_payload(h, payload->size())
                          : fast.take_plain_row(h) ? fast.status()
                                                   : fast.on_server_payload(h, payload->size());
        fuzz::check(a == f);
        fuzz::check(full.rows() == fast.rows());
        if (before == TrackerStatus::protocol_error) fuzz::check(a == TrackerStatus::protocol_error);
        if (before == TrackerStatus::complete) fuzz::check(a == TrackerStatus::protocol_error);
    }
    return 0;
}
