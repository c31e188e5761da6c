#pragma once
// What every worker shares: the config, the backends' addresses, the accounts, what Sluice tells clients in
// its greeting, and the global counters. Read-mostly; what changes is guarded or atomic.

#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "health/backend_spec.hpp"
#include "protocol/capabilities.hpp"
#include "proxy/config.hpp"

namespace sluice::proxy {

class AccountStore;

struct BackendAddress {
    health::BackendSpec spec;
    sockaddr_storage addr{};  // resolved at start-up
};

// What a backend said in its greeting: the version Sluice repeats to clients and the capabilities it can
// pass through unchanged.
struct ServerGreeting {
    std::string version = "10.11.0-MariaDB-sluice";
    protocol::Capabilities capabilities = 0;
    std::uint8_t charset = 45;  // utf8mb4_general_ci
};

class Runtime {
public:
    Runtime(const Config& config, std::vector<BackendAddress> backends, AccountStore& accounts)
        : config(config), backends(std::move(backends)), accounts(accounts) {}

    const Config& config;
    const std::vector<BackendAddress> backends;
    AccountStore& accounts;

    std::atomic<std::uint32_t> next_session_id{1};
    std::atomic<std::uint32_t> client_sessions{0};

    ServerGreeting greeting() const {
        std::lock_guard lock(mu_);
        return greeting_;
    }
    void learn_greeting(ServerGreeting g) {
        std::lock_guard lock(mu_);
        greeting_ = std::move(g);
    }
    // Until the health monitor publishes topology, the primary is the first backend in the config.
    std::size_t primary() const { return 0; }

private:
    mutable std::mutex mu_;
    ServerGreeting greeting_;
};

// Resolves every backend's host (blocking: start-up only); the error names the backend.
std::optional<std::string> resolve_backends(const std::vector<health::BackendSpec>& specs,
                                            std::vector<BackendAddress>& out);
// Reads the first backend greeting it can get (blocking, bounded by `timeout_ms` per backend).
std::optional<ServerGreeting> probe_greeting(const std::vector<BackendAddress>& backends, int timeout_ms);

}  // namespace sluice::proxy
