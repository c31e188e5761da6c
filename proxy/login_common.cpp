#include "proxy/login_common.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <cstring>
#include <random>

#include "protocol/auth/native_password.hpp"
#include "protocol/auth_switch.hpp"
#include "protocol/handshake.hpp"
#include "protocol/message.hpp"
#include "protocol/server_status.hpp"
#include "proxy/log.hpp"

namespace sluice::proxy {

std::string make_seed() {
    // RAND_bytes costs two system calls and a few thousand instructions per call: take its output 4 KiB at a
    // time (per thread) and hand out 20 bytes per greeting. The bytes are as unpredictable either way.
    struct Pool {
        std::array<unsigned char, 4096> bytes;
        std::size_t used = sizeof(bytes);
    };
    thread_local Pool pool;
    std::string seed(protocol::kScrambleSize, '\0');
    if (pool.used + seed.size() > pool.bytes.size()) {
        if (RAND_bytes(pool.bytes.data(), static_cast<int>(pool.bytes.size())) != 1) {
            // Not expected once OpenSSL has seeded itself; never hand out a predictable seed: the kernel's.
            log(Component::proxy).error("RAND_bytes failed; seeds come from std::random_device for now");
            std::random_device rd;
            for (auto& b : pool.bytes) b = static_cast<unsigned char>(rd());
        }
        pool.used = 0;
    }
    std::memcpy(seed.data(), pool.bytes.data() + pool.used, seed.size());
    OPENSSL_cleanse(pool.bytes.data() + pool.used, seed.size());
    pool.used += seed.size();
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
