#pragma once
// HandshakeV10, the server's greeting. MariaDB clears CLIENT_MYSQL (bit 0) to announce that the last 4 of the
// reserved filler bytes carry its extended capabilities; they land in the high 32 bits of `capabilities`.

#include <cstdint>
#include <string>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/result.hpp"
#include "protocol/server_status.hpp"

namespace sluice::protocol {

inline constexpr std::uint8_t kProtocolVersion10 = 10;
inline constexpr std::size_t kScramblePart1Size = 8;
inline constexpr std::size_t kScrambleSize = 20;  // the seed native and caching_sha2 passwords use

// CLIENT_MYSQL shares bit 0 with CLIENT_LONG_PASSWORD; a MariaDB peer clears it to speak extended
// capabilities.
inline constexpr Capabilities kClientMysql = cap::kLongPassword;
inline bool uses_mariadb_extended_caps(Capabilities caps) {
    return !has(caps, kClientMysql);
}

struct HandshakeV10 {
    std::string server_version;
    std::uint32_t connection_id = 0;
    std::string auth_plugin_data;  // the whole scramble, without the trailing NUL the wire adds
    Capabilities capabilities = 0;
    std::uint8_t charset = 0;
    ServerStatus status_flags = 0;
    std::string auth_plugin_name;

    // `caps` is unused: the greeting is what defines the server's capabilities.
    static Result<HandshakeV10> parse(ByteReader& r, Capabilities caps = 0);
    void write(ByteWriter& w, Capabilities caps = 0) const;

    bool operator==(const HandshakeV10&) const = default;
};

}  // namespace sluice::protocol
