#include "proxy/stats.hpp"

namespace sluice::proxy {

std::uint64_t percentile_us(const std::array<std::uint64_t, LatencyHistogram::kBuckets>& buckets, double p) {
    std::uint64_t total = 0;
    for (auto c : buckets) total += c;
    if (total == 0) return 0;
    auto rank = static_cast<std::uint64_t>(p * static_cast<double>(total));
    if (rank >= total) rank = total - 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        seen += buckets[i];
        if (seen > rank) return (std::uint64_t{2} << i) - 1;
    }
    return 0;
}

void CountersSnapshot::add(const Counters& c) {
    auto r = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
    client_connections += r(c.client_connections);
    logins_failed += r(c.logins_failed);
    statements += r(c.statements);
    errors += r(c.errors);
    bytes_from_clients += r(c.bytes_from_clients);
    bytes_to_clients += r(c.bytes_to_clients);
    backend_connects += r(c.backend_connects);
    pool_hits += r(c.pool_hits);
    replica_reads += r(c.replica_reads);
    gtid_waits += r(c.gtid_waits);
    gtid_wait_timeouts += r(c.gtid_wait_timeouts);
    read_retries += r(c.read_retries);
    write_retries += r(c.write_retries);
    c.latency.add_to(latency);
}

}  // namespace sluice::proxy
