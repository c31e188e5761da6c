#pragma once
// ERR packet: 0xFF, error code, then (with CLIENT_PROTOCOL_41) '#' and a 5-byte SQLSTATE, then the message.
// MariaDB's progress reports (code 0xFFFF) share the 0xFF header and are not errors; parse refuses them.

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/error_codes.hpp"
#include "protocol/result.hpp"

namespace sluice::protocol {

inline constexpr std::uint8_t kErrHeader = 0xFF;

struct ErrPacket {
    std::uint16_t code = 0;
    std::string sql_state;  // 5 characters, empty when the peer did not send one
    std::string message;

    static ErrPacket make(ErrorCode ec, std::string message) {
        return ErrPacket{ec.code, std::string(ec.sql_state), std::move(message)};
    }

    static Result<ErrPacket> parse(ByteReader& r, Capabilities caps);
    void write(ByteWriter& w, Capabilities caps) const;

    bool operator==(const ErrPacket&) const = default;
};

// A complete framed ERR packet, ready to send.
std::vector<std::uint8_t> framed_err(const ErrPacket& err, std::uint8_t seq, Capabilities caps);

}  // namespace sluice::protocol
