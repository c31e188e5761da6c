#pragma once
// Allocation-free peeks at payloads for the forwarding hot path: they read only the few header fields a
// forwarder or response tracker needs, straight from a view, and tolerate a payload prefix (a PayloadHead).
// Owning parsers (OkPacket, ErrPacket, ...) are for when the whole message matters.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "protocol/byte_reader.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/err_packet.hpp"
#include "protocol/ok_packet.hpp"
#include "protocol/packet.hpp"
#include "protocol/server_status.hpp"

namespace sluice::protocol {

inline constexpr std::uint8_t kLocalInfileHeader = 0xFB;
inline constexpr std::uint16_t kProgressReportCode = 0xFFFF;

inline std::optional<std::uint8_t> first_byte(std::string_view payload) {
    if (payload.empty()) return std::nullopt;
    return static_cast<std::uint8_t>(payload.front());
}

// The command byte of a client request.
inline std::optional<std::uint8_t> peek_command_byte(std::string_view payload) {
    return first_byte(payload);
}

inline bool is_err(std::string_view payload) {
    return first_byte(payload) == kErrHeader;
}

// MariaDB progress report (CLIENT_PROGRESS): shares ERR's header but is informational; skip it.
inline bool is_progress_report(std::string_view payload) {
    ByteReader r(payload);
    return r.u8() == kErrHeader && r.u16() == kProgressReportCode;
}

// A legacy EOF packet: 0xFE and short. `length` is the whole payload length (a head may be shorter).
inline bool is_eof(std::string_view payload, std::size_t length) {
    return first_byte(payload) == kEofHeader && length < kEofMaxLength;
}

// The packet that ends a run of rows: a legacy EOF, or under CLIENT_DEPRECATE_EOF an OK with header 0xFE
// (a text row may also start with 0xFE, a lenenc prefix, but only in a payload of at least 16 MiB - 1 bytes).
inline bool is_rows_terminator(std::string_view payload, std::size_t length, Capabilities caps) {
    if (first_byte(payload) != kEofHeader) return false;
    return has(caps, cap::kDeprecateEof) ? length < kMaxPayload : length < kEofMaxLength;
}

struct OkView {
    std::uint64_t affected_rows = 0;
    std::uint64_t last_insert_id = 0;
    ServerStatus status_flags = 0;
    std::uint16_t warnings = 0;
};

// The fixed part of an OK (header 0x00 or 0xFE), assuming CLIENT_PROTOCOL_41.
inline std::optional<OkView> peek_ok(std::string_view payload) {
    ByteReader r(payload);
    auto h = r.u8();
    if (h != kOkHeader && h != kEofHeader) return std::nullopt;
    auto affected = r.lenenc();
    auto id = affected ? r.lenenc() : std::nullopt;
    auto st = id ? r.u16() : std::nullopt;
    auto warn = st ? r.u16() : std::nullopt;
    if (!warn) return std::nullopt;
    return OkView{*affected, *id, *st, *warn};
}

struct EofView {
    std::uint16_t warnings = 0;
    ServerStatus status_flags = 0;
};

inline std::optional<EofView> peek_eof(std::string_view payload) {
    ByteReader r(payload);
    if (r.u8() != kEofHeader) return std::nullopt;
    auto warn = r.u16();
    auto st = warn ? r.u16() : std::nullopt;
    if (!st) return std::nullopt;
    return EofView{*warn, *st};
}

// Status flags of whatever terminator this is: an EOF or an OK with either header.
inline std::optional<ServerStatus> peek_terminator_status(std::string_view payload, std::size_t length) {
    if (is_eof(payload, length)) {
        auto e = peek_eof(payload);
        return e ? std::optional<ServerStatus>(e->status_flags) : std::nullopt;
    }
    auto ok = peek_ok(payload);
    return ok ? std::optional<ServerStatus>(ok->status_flags) : std::nullopt;
}

inline std::optional<std::uint16_t> peek_err_code(std::string_view payload) {
    ByteReader r(payload);
    if (r.u8() != kErrHeader) return std::nullopt;
    return r.u16();
}

}  // namespace sluice::protocol
