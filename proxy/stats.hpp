#pragma once
// Counters kept on the data path: each worker writes its own (relaxed atomics, no contention), the admin port
// and the shutdown summary read them from other threads and add them up.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace sluice::proxy {

// Statement latency in power-of-two buckets of microseconds: bucket k holds [2^k, 2^(k+1)) µs, bucket 0 also
// 0.
class LatencyHistogram {
  public:
    static constexpr std::size_t kBuckets = 40;

    void record(std::chrono::nanoseconds d) {
        auto us =
            static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
        std::size_t b = us == 0 ? 0 : static_cast<std::size_t>(63 - __builtin_clzll(us));
        counts_[b < kBuckets ? b : kBuckets - 1].fetch_add(1, std::memory_order_relaxed);
    }
    std::uint64_t count(std::size_t bucket) const { return counts_[bucket].load(std::memory_order_relaxed); }
    void add_to(std::array<std::uint64_t, kBuckets>& sum) const {
        for (std::size_t i = 0; i < kBuckets; ++i) sum[i] += count(i);
    }

  private:
    std::array<std::atomic<std::uint64_t>, kBuckets> counts_{};
};

// The upper bound (µs) of the bucket where the p-th fraction (0..1) of `buckets` falls; 0 when empty.
std::uint64_t percentile_us(const std::array<std::uint64_t, LatencyHistogram::kBuckets>& buckets, double p);

struct Counters {
    std::atomic<std::uint64_t> client_connections{0};  // accepted, ever
    std::atomic<std::uint64_t> logins_failed{0};
    std::atomic<std::uint64_t> statements{0};  // commands that got a response from a backend
    std::atomic<std::uint64_t> errors{0};      // responses that ended in ERR, ours included
    std::atomic<std::uint64_t> bytes_from_clients{0};
    std::atomic<std::uint64_t> bytes_to_clients{0};
    std::atomic<std::uint64_t> backend_connects{0};  // new backend connections (not taken from the pool)
    std::atomic<std::uint64_t> pool_hits{0};
    std::atomic<std::uint64_t> replica_reads{0};       // statements answered by a replica
    std::atomic<std::uint64_t> gtid_waits{0};          // MASTER_GTID_WAIT run for read-your-writes
    std::atomic<std::uint64_t> gtid_wait_timeouts{0};  // ... that timed out (the read went to the primary)
    std::atomic<std::uint64_t> read_retries{0};        // reads run again after their backend failed
    std::atomic<std::uint64_t> write_retries{0};       // statements refused as read-only (1290) and run again
    LatencyHistogram latency;

    static void add(std::atomic<std::uint64_t>& c, std::uint64_t n = 1) {
        c.fetch_add(n, std::memory_order_relaxed);
    }
};

// A plain copy summed over workers, for reports.
struct CountersSnapshot {
    std::uint64_t client_connections = 0, logins_failed = 0, statements = 0, errors = 0,
                  bytes_from_clients = 0, bytes_to_clients = 0, backend_connects = 0, pool_hits = 0,
                  replica_reads = 0, gtid_waits = 0, gtid_wait_timeouts = 0, read_retries = 0,
                  write_retries = 0;
    std::array<std::uint64_t, LatencyHistogram::kBuckets> latency{};
    void add(const Counters& c);
};

}  // namespace sluice::proxy
