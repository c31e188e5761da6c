#include "protocol/ok_packet.hpp"

#include "protocol/parse_util.hpp"

namespace sluice::protocol {

namespace {
bool session_track(Capabilities caps) {
    return has(caps, cap::kSessionTrack);
}
}  // namespace

Result<OkPacket> OkPacket::parse(ByteReader& r, Capabilities caps) {
    auto header = r.u8();
    if (!header) return ParseError::truncated;
    if (*header != kOkHeader && *header != kEofHeader) return ParseError::malformed;
    OkPacket ok;
    ok.header = *header;
    auto affected = r.lenenc();
    if (!affected) return lenenc_failure(r);
    auto insert_id = r.lenenc();
    if (!insert_id) return lenenc_failure(r);
    ok.affected_rows = *affected;
    ok.last_insert_id = *insert_id;
    if (has(caps, cap::kProtocol41)) {
        auto st = r.u16();
        auto warn = r.u16();
        if (!st || !warn) return ParseError::truncated;
        ok.status_flags = *st;
        ok.warnings = *warn;
    } else if (has(caps, cap::kTransactions)) {
        auto st = r.u16();
        if (!st) return ParseError::truncated;
        ok.status_flags = *st;
    }
    if (!session_track(caps)) {
        // The protocol documents string<EOF> here, but MariaDB (and MySQL) servers send a length-encoded
        // string, and Connector/C reads one: take the length-encoded form when it spans the rest exactly.
        std::size_t rest = r.remaining();
        ByteReader probe = r;
        auto lenenc = probe.lenenc_string();
        if (lenenc && probe.empty() && rest > 0) {
            ok.info = std::string(*lenenc);
            r = probe;
        } else {
            ok.info = std::string(r.rest());
        }
        return ok;
    }
    // With session tracking the info string is length-encoded and may be absent altogether.
    if (r.empty()) return ok;
    auto info = r.lenenc_string();
    if (!info) return ParseError::truncated;
    ok.info = std::string(*info);
    if (has_status(ok.status_flags, status::kSessionStateChanged)) {
        auto state = r.lenenc_string();
        if (!state) return ParseError::truncated;
        ok.session_state = std::string(*state);
    }
    return ok;
}

void OkPacket::write(ByteWriter& w, Capabilities caps) const {
    w.u8(header);
    w.lenenc(affected_rows);
    w.lenenc(last_insert_id);
    if (has(caps, cap::kProtocol41)) {
        w.u16(status_flags);
        w.u16(warnings);
    } else if (has(caps, cap::kTransactions)) {
        w.u16(status_flags);
    }
    if (!session_track(caps)) {
        if (!info.empty()) w.lenenc_string(info);  // as servers send it (see parse)
        return;
    }
    bool state_changed = has_status(status_flags, status::kSessionStateChanged);
    if (info.empty() && !state_changed) return;
    w.lenenc_string(info);
    if (state_changed) w.lenenc_string(session_state);
}

Result<EofPacket> EofPacket::parse(ByteReader& r, Capabilities caps) {
    auto header = r.u8();
    if (!header) return ParseError::truncated;
    if (*header != kEofHeader) return ParseError::malformed;
    EofPacket eof;
    if (!has(caps, cap::kProtocol41)) return eof;
    auto warn = r.u16();
    auto st = r.u16();
    if (!warn || !st) return ParseError::truncated;
    eof.warnings = *warn;
    eof.status_flags = *st;
    return eof;
}

void EofPacket::write(ByteWriter& w, Capabilities caps) const {
    w.u8(kEofHeader);
    if (!has(caps, cap::kProtocol41)) return;
    w.u16(warnings);
    w.u16(status_flags);
}

}  // namespace sluice::protocol
