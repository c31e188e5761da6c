#pragma once
// What every worker shares: the config, the backends' addresses, the accounts, what Sluice tells clients in
// its greeting, and the global counters. Read-mostly; what changes is guarded or atomic.

#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "health/backend_spec.hpp"
#include "protocol/capabilities.hpp"
#include "proxy/backend_gate.hpp"
#include "proxy/config.hpp"

namespace sluice::proxy {

class AccountStore;
}  // namespace sluice::proxy
namespace sluice::health {
class Monitor;
}
namespace sluice::proxy {
class Worker;

// Sluice's own connection ids, the ones clients see in the greeting, start here: far above any backend thread
// id, so a KILL can tell which of the two it names.
inline constexpr std::uint32_t kFirstSessionId = 1U << 30;

// Which worker serves each session, and the backend thread behind it, for KILL across workers.
class SessionRegistry {
  public:
    struct Entry {
        Worker* worker = nullptr;
        std::uint32_t backend_thread = 0;  // 0: no backend connection right now
        std::size_t backend = 0;           // the backend that thread runs on
    };
    void add(std::uint32_t id, Worker* w) {
        std::lock_guard lock(mu_);
        map_[id] = Entry{w, 0, 0};
    }
    void set_backend(std::uint32_t id, std::uint32_t thread, std::size_t backend = 0) {
        std::lock_guard lock(mu_);
        if (auto it = map_.find(id); it != map_.end()) {
            it->second.backend_thread = thread;
            it->second.backend = backend;
        }
    }
    void remove(std::uint32_t id) {
        std::lock_guard lock(mu_);
        map_.erase(id);
    }
    std::optional<Entry> find(std::uint32_t id) const {
        std::lock_guard lock(mu_);
        auto it = map_.find(id);
        return it == map_.end() ? std::nullopt : std::optional<Entry>(it->second);
    }

  private:
    mutable std::mutex mu_;
    std::unordered_map<std::uint32_t, Entry> map_;
};

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
        : config(config), backends(std::move(backends)), accounts(accounts) {
        for (std::size_t i = 0; i < this->backends.size(); ++i)
            gates.push_back(std::make_unique<BackendGate>(config.limits.max_backend_connections));
    }

    const Config& config;
    const std::vector<BackendAddress> backends;
    AccountStore& accounts;

    std::atomic<std::uint32_t> next_session_id{kFirstSessionId};
    SessionRegistry sessions;
    std::vector<std::unique_ptr<BackendGate>> gates;  // one per backend, same order
    health::Monitor* monitor = nullptr;               // set before the workers start
    std::atomic<std::uint32_t> client_sessions{0};

    ServerGreeting greeting() const {
        std::lock_guard lock(mu_);
        return greeting_;
    }
    void learn_greeting(ServerGreeting g) {
        std::lock_guard lock(mu_);
        greeting_ = std::move(g);
    }

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
