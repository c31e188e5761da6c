#include "proxy/login_common.hpp"

#include <openssl/rand.h>

#include "protocol/auth/native_password.hpp"
#include "protocol/auth_switch.hpp"
#include "protocol/handshake.hpp"
#include "protocol/message.hpp"
#include "protocol/server_status.hpp"

namespace sluice::proxy {

std::string make_seed() {
    std::string seed(protocol::kScrambleSize, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(seed.data()), static_cast<int>(seed.size()));
    for (char& c : seed) c = static_cast<char>(0x21 + static_cast<unsigned char>(c) % (0x7E - 0x21));
    return seed;
}

std::uint8_t append_greeting(std::vector<std::uint8_t>& out, const Greeting& g) {
    protocol::HandshakeV10 hs;
    hs.server_version = g.server_version;
    hs.connection_id = g.connection_id;
    hs.auth_plugin_data = g.seed;
    hs.capabilities = g.capabilities;
    hs.charset = g.charset;
    hs.status_flags = protocol::status::kAutocommit;
    hs.auth_plugin_name = std::string(protocol::auth::kNativePasswordPlugin);
    return protocol::append_message(out, 0, hs, 0);
}

bool needs_native_switch(const protocol::HandshakeResponse41& resp) {
    return protocol::has(resp.capabilities, protocol::cap::kPluginAuth) &&
           resp.auth_plugin_name != protocol::auth::kNativePasswordPlugin;
}

std::uint8_t append_native_switch(std::vector<std::uint8_t>& out, std::uint8_t seq, const std::string& seed,
                                  protocol::Capabilities caps) {
    protocol::AuthSwitchRequest sw{std::string(protocol::auth::kNativePasswordPlugin), seed + '\0'};
    return protocol::append_message(out, seq, sw, caps);
}

}  // namespace sluice::proxy
