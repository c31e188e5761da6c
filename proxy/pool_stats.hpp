#pragma once
// How one worker uses each backend's connections, for SHOW POOLS. Written only by that worker's loop
// (relaxed atomics: no lock on the data path), read by the admin console from the main loop. A BackendConn
// counts itself in `open` for as long as it lives; the pool moves it between `idle` and `resetting`; what is
// open and in neither list is held by a session.

#include <array>
#include <atomic>
#include <cstdint>

#include "proxy/append_only.hpp"

namespace sluice::proxy {

struct BackendUse {
    std::atomic<std::uint32_t> open{0};       // connections alive (idle, resetting or held by a session)
    std::atomic<std::uint32_t> idle{0};       // in the pool, ready
    std::atomic<std::uint32_t> resetting{0};  // back in the pool, COM_RESET_CONNECTION under way
    std::atomic<std::uint64_t> opened{0};     // new connections, ever
    std::atomic<std::uint64_t> resets{
        0};  // connections given back dirty and reset (COM_RESET_CONNECTION), ever

    static void up(std::atomic<std::uint32_t>& c) { c.fetch_add(1, std::memory_order_relaxed); }
    static void down(std::atomic<std::uint32_t>& c) { c.fetch_sub(1, std::memory_order_relaxed); }
};

// A plain copy of one worker × backend, in_use derived.
struct PoolRow {
    int worker = 0;
    std::size_t backend = 0;
    std::uint32_t idle = 0, in_use = 0, resetting = 0;
    std::uint64_t opened = 0;
    std::uint64_t resets = 0;
};

class PoolStats {
  public:
    PoolStats() = default;
    PoolStats(const PoolStats&) = delete;
    PoolStats& operator=(const PoolStats&) = delete;

    // One slot per possible backend (backends added by RELOAD CONFIG find theirs ready).
    BackendUse& at(std::size_t backend) { return uses_.at(backend); }
    PoolRow row(int worker, std::size_t backend) const {
        const BackendUse& u = uses_.at(backend);
        PoolRow r;
        r.worker = worker;
        r.backend = backend;
        r.idle = u.idle.load(std::memory_order_relaxed);
        r.resetting = u.resetting.load(std::memory_order_relaxed);
        std::uint32_t open = u.open.load(std::memory_order_relaxed);
        // The counters move one at a time: a reader between two moves may see open below idle + resetting.
        r.in_use = open > r.idle + r.resetting ? open - r.idle - r.resetting : 0;
        r.opened = u.opened.load(std::memory_order_relaxed);
        r.resets = u.resets.load(std::memory_order_relaxed);
        return r;
    }

  private:
    std::array<BackendUse, AppendOnly<int>::kCapacity> uses_{};
};

}  // namespace sluice::proxy
