#include "protocol/err_packet.hpp"

#include "protocol/packet.hpp"

namespace sluice::protocol {

namespace {
constexpr std::uint16_t kProgressCode = 0xFFFF;
constexpr char kSqlStateMarker = '#';
constexpr std::size_t kSqlStateLen = 5;
}  // namespace

Result<ErrPacket> ErrPacket::parse(ByteReader& r, Capabilities caps) {
    auto header = r.u8();
    if (!header) return ParseError::truncated;
    if (*header != kErrHeader) return ParseError::malformed;
    auto code = r.u16();
    if (!code) return ParseError::truncated;
    if (*code == kProgressCode) return ParseError::unsupported;
    ErrPacket e;
    e.code = *code;
    if (has(caps, cap::kProtocol41) && r.peek() == static_cast<std::uint8_t>(kSqlStateMarker)) {
        r.skip(1);
        auto state = r.bytes(kSqlStateLen);
        if (!state) return ParseError::truncated;
        e.sql_state = std::string(*state);
    }
    e.message = std::string(r.rest());
    return e;
}

void ErrPacket::write(ByteWriter& w, Capabilities caps) const {
    w.u8(kErrHeader);
    w.u16(code);
    // An ERR without SQLSTATE (as servers send before the handshake completes) stays without one.
    if (has(caps, cap::kProtocol41) && !sql_state.empty()) {
        w.u8(static_cast<std::uint8_t>(kSqlStateMarker));
        std::string state = sql_state;
        state.resize(kSqlStateLen, '0');
        w.bytes(state);
    }
    w.bytes(message);
}

std::vector<std::uint8_t> framed_err(const ErrPacket& err, std::uint8_t seq, Capabilities caps) {
    std::vector<std::uint8_t> payload;
    ByteWriter w(payload);
    err.write(w, caps);
    std::vector<std::uint8_t> out;
    append_packets(out, seq, as_view(payload));
    return out;
}

}  // namespace sluice::protocol
