#pragma once
// Whether a new connection to a backend may be opened now: at most max_backend_connections per backend across
// all workers, and after failed connects a pause that doubles each time (with jitter, so that workers and
// sessions do not retry in lockstep) instead of hammering a dead server. Shared by the workers; lock-free.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace sluice::proxy {

class BackendGate {
  public:
    static constexpr std::chrono::milliseconds kFirstPause{100};
    static constexpr std::chrono::milliseconds kMaxPause{5000};

    explicit BackendGate(std::uint32_t max_connections) : max_(max_connections) {}

    enum class Verdict : std::uint8_t { open, full, backing_off };
    // On `open` a slot is taken: give it back with release() when the connection goes.
    Verdict try_open(std::chrono::steady_clock::time_point now);
    void release() { open_.fetch_sub(1, std::memory_order_relaxed); }
    void connect_failed(std::chrono::steady_clock::time_point now);
    void connect_succeeded() { failures_.store(0, std::memory_order_relaxed); }
    // RELOAD CONFIG: connections already open above a lowered maximum stay until they close.
    void set_max(std::uint32_t max_connections) { max_.store(max_connections, std::memory_order_relaxed); }

    std::uint32_t open_connections() const { return open_.load(std::memory_order_relaxed); }
    std::chrono::milliseconds retry_in(std::chrono::steady_clock::time_point now) const;

  private:
    std::atomic<std::uint32_t> max_;
    std::atomic<std::uint32_t> open_{0};
    std::atomic<std::uint32_t> failures_{0};
    std::atomic<std::int64_t> retry_at_ns_{0};  // steady_clock, since epoch
};

}  // namespace sluice::proxy
