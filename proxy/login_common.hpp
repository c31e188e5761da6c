#pragma once
// What the client port (session_login.cpp) and the admin port (admin_session.cpp) do alike when a client
// logs in: a fresh seed, the greeting offering mysql_native_password, and the switch to that plugin for
// clients that start with another one.

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/capabilities.hpp"
#include "protocol/handshake_response.hpp"

namespace sluice::proxy {

// A 20-byte scramble, printable and never NUL, as MariaDB's own: some clients treat the seed as a C string.
std::string make_seed();

struct Greeting {
    std::string server_version;
    std::uint32_t connection_id = 0;
    std::string seed;
    protocol::Capabilities capabilities = 0;
    std::uint8_t charset = 45;  // utf8mb4_general_ci
};

// The HandshakeV10 packet (sequence 0) offering mysql_native_password; returns the next sequence id.
std::uint8_t append_greeting(std::vector<std::uint8_t>& out, const Greeting& g);

// The client named another plugin (caching_sha2_password, client_ed25519...): it must be asked to switch.
bool needs_native_switch(const protocol::HandshakeResponse41& resp);
// The AuthSwitchRequest to mysql_native_password with `seed`; returns the next sequence id.
std::uint8_t append_native_switch(std::vector<std::uint8_t>& out, std::uint8_t seq, const std::string& seed,
                                  protocol::Capabilities caps);

}  // namespace sluice::proxy
