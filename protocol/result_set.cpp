#include "protocol/result_set.hpp"

#include "protocol/message.hpp"
#include "protocol/ok_packet.hpp"
#include "protocol/parse_util.hpp"

namespace sluice::protocol {

Result<ColumnCount> ColumnCount::parse(ByteReader& r, Capabilities caps) {
    auto n = r.lenenc();
    if (!n) return lenenc_failure(r);
    if (*n == 0) return ParseError::malformed;  // a zero first byte is an OK packet, not a result set
    ColumnCount c{*n, true};
    if (has(caps, cap::kMariaDbCacheMetadata)) {
        auto follows = r.u8();
        if (!follows) return ParseError::truncated;
        if (*follows > 1) return ParseError::malformed;
        c.metadata_follows = *follows == 1;
    }
    if (!r.empty()) return ParseError::malformed;
    return c;
}

void ColumnCount::write(ByteWriter& w, Capabilities caps) const {
    w.lenenc(count);
    if (has(caps, cap::kMariaDbCacheMetadata)) w.u8(metadata_follows ? 1 : 0);
}

namespace {
std::uint8_t append_terminator(std::vector<std::uint8_t>& out, std::uint8_t seq, Capabilities caps,
                               ServerStatus status) {
    if (has(caps, cap::kDeprecateEof)) {
        OkPacket ok;
        ok.header = kEofHeader;
        ok.status_flags = status;
        return append_message(out, seq, ok, caps);
    }
    return append_message(out, seq, EofPacket{0, status}, caps);
}
}  // namespace

std::uint8_t append_text_result_set(std::vector<std::uint8_t>& out, std::uint8_t seq,
                                    const std::vector<ColumnDefinition>& columns,
                                    const std::vector<TextRow>& rows, Capabilities caps,
                                    ServerStatus status) {
    seq = append_message(out, seq, ColumnCount{columns.size(), true}, caps);
    for (const auto& c : columns) seq = append_message(out, seq, c, caps);
    if (!has(caps, cap::kDeprecateEof)) seq = append_message(out, seq, EofPacket{0, status}, caps);
    for (const auto& r : rows) seq = append_message(out, seq, r, caps);
    return append_terminator(out, seq, caps, status);
}

}  // namespace sluice::protocol
