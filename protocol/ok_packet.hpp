#pragma once
// OK and EOF packets: the two ways a server says "done" and reports its status flags.
//
// OK: header 0x00 (or 0xFE where it replaces the EOF at the end of a result set under CLIENT_DEPRECATE_EOF),
// affected rows, last insert id (both length-encoded), status flags and warnings (CLIENT_PROTOCOL_41), then
// either a human-readable info string to the end of the packet, or, with CLIENT_SESSION_TRACK, a
// length-encoded info string followed by session-state-change data when SERVER_SESSION_STATE_CHANGED is set.
//
// EOF (pre-CLIENT_DEPRECATE_EOF): header 0xFE, then warnings and status flags (note: the reverse order of
// OK).

#include <cstdint>
#include <string>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/result.hpp"
#include "protocol/server_status.hpp"

namespace sluice::protocol {

inline constexpr std::uint8_t kOkHeader = 0x00;
inline constexpr std::uint8_t kEofHeader = 0xFE;
// A payload starting with 0xFE is an EOF only when shorter than this; longer ones are rows or OKs.
inline constexpr std::size_t kEofMaxLength = 9;

struct OkPacket {
    std::uint8_t header = kOkHeader;  // kOkHeader, or kEofHeader for an OK that ends a result set
    std::uint64_t affected_rows = 0;
    std::uint64_t last_insert_id = 0;
    ServerStatus status_flags = 0;
    std::uint16_t warnings = 0;
    std::string info;
    std::string session_state;  // raw session-state-change block (see session_track.hpp)

    static Result<OkPacket> parse(ByteReader& r, Capabilities caps);
    void write(ByteWriter& w, Capabilities caps) const;

    bool operator==(const OkPacket&) const = default;
};

struct EofPacket {
    std::uint16_t warnings = 0;
    ServerStatus status_flags = 0;

    static Result<EofPacket> parse(ByteReader& r, Capabilities caps);
    void write(ByteWriter& w, Capabilities caps) const;

    bool operator==(const EofPacket&) const = default;
};

}  // namespace sluice::protocol
