// PacketFramer and PacketScanner on arbitrary streams split at arbitrary points: they must agree on every
// payload boundary, and neither may crash, loop or over-read. A second scanner takes the session's fast paths
// (take_whole() for packets a predicate accepts, then whole(), then step()) and must agree with both.
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/fuzz/fuzz_util.hpp"
#include "protocol/packet_framer.hpp"

using namespace sluice::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    std::size_t chunk = data[0] % 64 + 1;
    std::size_t max_payload = std::size_t{data[1]} * 512 + 1;
    std::string_view stream(reinterpret_cast<const char*>(data + 2), size - 2);

    PacketFramer framer(max_payload, SequenceCheck::off);
    PacketScanner scanner(max_payload, SequenceCheck::off);
    PacketScanner fast(max_payload, SequenceCheck::off);
    std::vector<std::size_t> framed, scanned, fast_scanned;
    bool framer_failed = false, scanner_failed = false, fast_failed = false;
    // Accepts payloads whose first byte is even (as the session accepts plain rows), so both paths alternate.
    auto even = [&](std::string_view head, std::size_t length) {
        fuzz::check(head.size() == std::min(length, kPayloadHeadBytes));
        if (!head.empty() && (static_cast<unsigned char>(head[0]) & 1) != 0) return false;
        fast_scanned.push_back(length);
        return true;
    };
    for (std::size_t off = 0; off < stream.size(); off += chunk) {
        std::string_view c = stream.substr(off, chunk);
        if (!framer_failed) {
            framer.feed(c);
            for (;;) {
                auto f = framer.next();
                if (!f) {
                    framer_failed = true;
                    break;
                }
                if (!f->has_value()) break;
                framed.push_back((*f)->payload.size());
            }
        }
        std::string_view fc = c;
        while (!fast_failed && !fc.empty()) {
            std::size_t taken = fast.take_whole(fc, even);
            fuzz::check(taken <= fc.size());
            fc.remove_prefix(taken);
            if (fc.empty()) break;
            auto w = fast.whole(fc);
            if (!w) {
                fast_failed = true;
                break;
            }
            if (*w) {
                fuzz::check((*w)->consumed > 0 && (*w)->consumed <= fc.size());
                fast_scanned.push_back((*w)->length);
                fc.remove_prefix((*w)->consumed);
                continue;
            }
            auto s = fast.step(fc);
            if (!s) {
                fast_failed = true;
                break;
            }
            fuzz::check(s->consumed > 0 && s->consumed <= fc.size());
            if (s->payload_end) fast_scanned.push_back(s->payload_end->length);
            fc.remove_prefix(s->consumed);
        }
        while (!scanner_failed && !c.empty()) {
            auto s = scanner.step(c);
            if (!s) {
                scanner_failed = true;
                break;
            }
            fuzz::check(s->consumed > 0 && s->consumed <= c.size());
            if (s->payload_end) scanned.push_back(s->payload_end->length);
            c.remove_prefix(s->consumed);
        }
    }
    fuzz::check(framer_failed == scanner_failed);
    fuzz::check(framed == scanned);
    fuzz::check(fast_failed == scanner_failed);
    fuzz::check(fast_scanned == scanned);
    return 0;
}
