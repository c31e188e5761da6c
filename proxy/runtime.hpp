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
#include "proxy/append_only.hpp"
#include "proxy/backend_gate.hpp"
#include "proxy/config.hpp"
#include "proxy/session_activity.hpp"

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

// Which worker serves each session, the backend thread behind it (for KILL across workers) and what it is
// doing (SHOW SESSIONS). The map's lock is taken when a session comes and goes, by KILL and by SHOW; a
// session's own updates go to its activity cell.
class SessionRegistry {
  public:
    struct Entry {
        Worker* worker = nullptr;
        std::uint32_t backend_thread = 0;  // 0: no backend connection right now
        std::size_t backend = 0;           // the backend that thread runs on
        std::shared_ptr<SessionActivity> activity;
    };
    void add(std::uint32_t id, Worker* w, int worker_index = 0) {
        std::lock_guard lock(mu_);
        map_[id] = Entry{w, 0, 0, std::make_shared<SessionActivity>(id, worker_index)};
    }
    void set_backend(std::uint32_t id, std::uint32_t thread, std::size_t backend = 0) {
        std::lock_guard lock(mu_);
        auto it = map_.find(id);
        if (it == map_.end()) return;
        it->second.backend_thread = thread;
        it->second.backend = backend;
        if (thread == 0) it->second.activity->update([](SessionInfo& i) { i.backend.clear(); });
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
    std::shared_ptr<SessionActivity> activity(std::uint32_t id) const {
        std::lock_guard lock(mu_);
        auto it = map_.find(id);
        return it == map_.end() ? nullptr : it->second.activity;
    }
    // Every session's activity, by id.
    std::vector<SessionInfo> list() const;

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
        : config(config), accounts(accounts), live_(std::make_shared<const Config>(config)) {
        for (auto& b : backends) add_backend(std::move(b), config.limits.max_backend_connections);
    }

    // RELOAD CONFIG: a new backend, after the others (the admin console's thread is the only writer).
    bool add_backend(BackendAddress b, std::uint32_t max_connections) {
        if (backends.size() == AppendOnly<BackendAddress>::kCapacity) return false;
        gates.push_back(std::make_unique<BackendGate>(max_connections));  // first: whoever sees the backend
        return backends.push_back(std::move(b));                          // finds its gate
    }

    // The config Sluice started with: what cannot change without a restart (listeners, backends, monitor).
    const Config& config;
    AppendOnly<BackendAddress> backends;  // in config order; grows with RELOAD CONFIG
    AccountStore& accounts;

    std::atomic<std::uint32_t> next_session_id{kFirstSessionId};
    SessionRegistry sessions;
    AppendOnly<std::unique_ptr<BackendGate>> gates;  // one per backend, same order
    health::Monitor* monitor = nullptr;              // set before the workers start
    std::atomic<std::uint32_t> client_sessions{0};
    // PAUSE on the admin port: sessions hold new statements until RESUME (worker.hpp: paused()).
    std::atomic<bool> paused{false};
    // SHUTDOWN (not GRACEFUL) on the admin port: workers end running statements at once.
    std::atomic<bool> stop_now{false};

    // The latest config (RELOAD CONFIG swaps it): the reloadable parts (limits, logging, users, admin
    // account) are read from here. Workers keep a copy of what they read on the data path (Worker::limits()).
    std::shared_ptr<const Config> live_config() const { return live_.load(); }
    void set_live_config(std::shared_ptr<const Config> c) { live_.store(std::move(c)); }

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
    std::atomic<std::shared_ptr<const Config>> live_;
};

// Resolves every backend's host (blocking: start-up only); the error names the backend.
std::optional<std::string> resolve_backends(const std::vector<health::BackendSpec>& specs,
                                            std::vector<BackendAddress>& out);
// Reads the first backend greeting it can get (blocking, bounded by `timeout_ms` per backend).
std::optional<ServerGreeting> probe_greeting(const AppendOnly<BackendAddress>& backends, int timeout_ms);

}  // namespace sluice::proxy
