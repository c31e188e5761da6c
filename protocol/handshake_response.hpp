#pragma once
// The client's answer to the greeting. Both messages start with the same 32-byte header: capabilities,
// max packet size, charset, 19 reserved bytes, then MariaDB extended capabilities (or 4 more reserved bytes
// when CLIENT_MYSQL is set). An SSLRequest is that header alone; the client then starts TLS and sends the
// full HandshakeResponse41 over it.

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/connect_attrs.hpp"
#include "protocol/result.hpp"

namespace sluice::protocol {

inline constexpr std::size_t kClientHeaderSize = 32;

struct SslRequest {
    Capabilities capabilities = 0;
    std::uint32_t max_packet_size = 0;
    std::uint8_t charset = 0;

    static Result<SslRequest> parse(ByteReader& r, Capabilities caps = 0);
    void write(ByteWriter& w, Capabilities caps = 0) const;

    bool operator==(const SslRequest&) const = default;
};

// An SSLRequest is exactly the header with CLIENT_SSL set; a full response is always longer.
bool is_ssl_request(std::string_view payload);

struct HandshakeResponse41 {
    Capabilities capabilities = 0;  // what the client asks for, MariaDB extended bits included
    std::uint32_t max_packet_size = 0;
    std::uint8_t charset = 0;
    std::string username;
    std::string auth_response;
    std::string database;          // only with CLIENT_CONNECT_WITH_DB
    std::string auth_plugin_name;  // only with CLIENT_PLUGIN_AUTH
    ConnectAttributes attributes;  // only with CLIENT_CONNECT_ATTRS
    // Bytes after the known fields (newer MySQL clients append e.g. a zstd level); kept for forwarding.
    std::string trailing;

    // The layout is chosen by the client's own capability bits, so `caps` is unused.
    static Result<HandshakeResponse41> parse(ByteReader& r, Capabilities caps = 0);
    void write(ByteWriter& w, Capabilities caps = 0) const;

    bool operator==(const HandshakeResponse41&) const = default;
};

}  // namespace sluice::protocol
