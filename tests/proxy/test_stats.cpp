#include <doctest/doctest.h>

#include "proxy/stats.hpp"

using namespace sluice::proxy;
using namespace std::chrono;

TEST_CASE("latency histogram buckets and percentiles") {
    Counters c;
    for (int i = 0; i < 90; ++i) c.latency.record(microseconds(100));  // bucket 6: [64, 128)
    for (int i = 0; i < 9; ++i) c.latency.record(milliseconds(5));     // bucket 12: [4096, 8192)
    c.latency.record(seconds(2));                                      // bucket 20
    c.latency.record(nanoseconds(10));                                 // bucket 0
    CountersSnapshot s;
    s.add(c);
    s.add(c);  // two workers alike
    CHECK(s.latency[6] == 180);
    CHECK(s.latency[0] == 2);
    CHECK(percentile_us(s.latency, 0.5) == 127);
    CHECK(percentile_us(s.latency, 0.95) == 8191);
    CHECK(percentile_us(s.latency, 1.0) == (2u << 20) - 1);
    std::array<std::uint64_t, LatencyHistogram::kBuckets> empty{};
    CHECK(percentile_us(empty, 0.99) == 0);
}
