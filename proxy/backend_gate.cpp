#include "proxy/backend_gate.hpp"

#include <algorithm>
#include <random>

namespace sluice::proxy {

namespace {
std::int64_t ns(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
}  // namespace

BackendGate::Verdict BackendGate::try_open(std::chrono::steady_clock::time_point now) {
    if (ns(now) < retry_at_ns_.load(std::memory_order_relaxed)) return Verdict::backing_off;
    if (open_.fetch_add(1, std::memory_order_relaxed) >= max_.load(std::memory_order_relaxed)) {
        open_.fetch_sub(1, std::memory_order_relaxed);
        return Verdict::full;
    }
    return Verdict::open;
}

void BackendGate::connect_failed(std::chrono::steady_clock::time_point now) {
    std::uint32_t n = std::min<std::uint32_t>(failures_.fetch_add(1, std::memory_order_relaxed), 16);
    auto pause =
        std::min<std::chrono::milliseconds>(kFirstPause * (1U << std::min<std::uint32_t>(n, 10)), kMaxPause);
    thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_real_distribution<double> jitter(0.5, 1.5);
    auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(pause * jitter(rng));
    retry_at_ns_.store(ns(now + wait), std::memory_order_relaxed);
}

std::chrono::milliseconds BackendGate::retry_in(std::chrono::steady_clock::time_point now) const {
    auto left = retry_at_ns_.load(std::memory_order_relaxed) - ns(now);
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::nanoseconds(std::max<std::int64_t>(left, 0)));
}

}  // namespace sluice::proxy
