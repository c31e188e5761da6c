#include <doctest/doctest.h>

#include "proxy/backend_gate.hpp"

using namespace sluice::proxy;
using namespace std::chrono;

TEST_CASE("backend gate: connection limit") {
    BackendGate g(2);
    auto now = steady_clock::now();
    CHECK(g.try_open(now) == BackendGate::Verdict::open);
    CHECK(g.try_open(now) == BackendGate::Verdict::open);
    CHECK(g.try_open(now) == BackendGate::Verdict::full);
    CHECK(g.open_connections() == 2);
    g.release();
    CHECK(g.try_open(now) == BackendGate::Verdict::open);
}

TEST_CASE("backend gate: failed connects back off, doubling with jitter, and success resets") {
    BackendGate g(10);
    auto now = steady_clock::now();
    g.connect_failed(now);
    CHECK(g.try_open(now) == BackendGate::Verdict::backing_off);
    CHECK(g.retry_in(now) >= milliseconds(50));
    CHECK(g.retry_in(now) <= milliseconds(150));
    CHECK(g.try_open(now + milliseconds(151)) == BackendGate::Verdict::open);
    g.release();
    for (int i = 0; i < 20; ++i) g.connect_failed(now);
    CHECK(g.retry_in(now) <= milliseconds(7500));  // capped at kMaxPause (with jitter)
    CHECK(g.retry_in(now) >= milliseconds(2500));
    g.connect_succeeded();
    g.connect_failed(now);
    CHECK(g.retry_in(now) <= milliseconds(150));  // back to the first pause
}
