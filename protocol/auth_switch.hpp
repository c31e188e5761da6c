#pragma once
// Messages of the authentication exchange after the handshake response.
// AuthSwitchRequest (0xFE): the server asks the client to redo authentication with another plugin and seed.
// AuthMoreData (0x01): plugin-specific data mid-exchange (e.g. caching_sha2_password's fast-auth result or
// RSA public key).

#include <cstdint>
#include <string>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/result.hpp"

namespace sluice::protocol {

inline constexpr std::uint8_t kAuthSwitchHeader = 0xFE;
inline constexpr std::uint8_t kAuthMoreDataHeader = 0x01;

struct AuthSwitchRequest {
    std::string plugin_name;
    std::string plugin_data;  // as sent: for the native/sha2 plugins the 20-byte seed plus a NUL

    // The seed without the trailing NUL the server appends.
    std::string_view seed() const;

    // The 1-byte form (0xFE alone) asks for the pre-4.1 password hash: refused as unsupported.
    static Result<AuthSwitchRequest> parse(ByteReader& r, Capabilities caps = 0);
    void write(ByteWriter& w, Capabilities caps = 0) const;

    bool operator==(const AuthSwitchRequest&) const = default;
};

struct AuthMoreData {
    std::string data;

    static Result<AuthMoreData> parse(ByteReader& r, Capabilities caps = 0);
    void write(ByteWriter& w, Capabilities caps = 0) const;

    bool operator==(const AuthMoreData&) const = default;
};

}  // namespace sluice::protocol
