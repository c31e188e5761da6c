#pragma once
// What the health integration tests share: a Monitor in front of a test Cluster with small intervals, the
// "health" log captured, and small waits.

#include <doctest/doctest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "health/monitor.hpp"
#include "tests/integration/cluster.hpp"

namespace sluice::test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

inline std::vector<health::BackendSpec> backends_of(const Cluster& c) {
    std::vector<health::BackendSpec> out;
    for (int i = 0; i < c.size(); ++i) {
        health::BackendSpec b;
        b.name = "db" + std::to_string(i + 1);
        b.host = "127.0.0.1";
        b.port = static_cast<std::uint16_t>(c.port(i));
        out.push_back(b);
    }
    return out;
}

// Checks every 100 ms, down after 3 failed checks: a failover within about 0.3 s of a crash.
inline health::MonitorSettings fast_settings() {
    health::MonitorSettings s;
    s.user = "monitor";
    s.password = "monitor";
    s.interval = 100ms;
    s.failcount = 3;
    s.connect_timeout = s.read_timeout = s.write_timeout = 1s;
    s.replication_user = "repl";
    s.replication_password = "repl";
    return s;
}

// Registers the "health" logger for the test's lifetime: kept in memory (contains()) and echoed to stderr.
class HealthLog {
  public:
    HealthLog() : ring_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(2000)) {
        auto err = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        auto logger = std::make_shared<spdlog::logger>("health", spdlog::sinks_init_list{ring_, err});
        logger->set_level(spdlog::level::info);
        spdlog::drop("health");
        spdlog::register_logger(logger);
    }
    ~HealthLog() { spdlog::drop("health"); }
    HealthLog(const HealthLog&) = delete;
    HealthLog& operator=(const HealthLog&) = delete;

    bool contains(const std::string& text) const {
        for (const std::string& line : ring_->last_formatted())
            if (line.find(text) != std::string::npos) return true;
        return false;
    }

  private:
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> ring_;
};

inline std::string primary_of(const health::Topology& t) {
    const health::BackendState* p = t.writable_primary();
    return p ? p->spec.name : "";
}

inline health::Role role_of(const health::Topology& t, const std::string& name) {
    const health::BackendState* b = t.find(name);
    return b ? b->role : health::Role::unknown;
}

// The snapshot once everyone has the expected role, or fails the test (with the roles seen).
inline std::shared_ptr<const health::Topology> wait_roles(const health::Monitor& m,
                                                          const std::string& expected,
                                                          std::chrono::milliseconds timeout = 20s) {
    auto shape = [](const health::Topology& t) {
        std::string out;
        for (const auto& b : t.backends)
            out += (out.empty() ? "" : " ") + b.spec.name + "=" + std::string(to_string(b.role));
        return out;
    };
    auto t = m.wait_for([&](const health::Topology& x) { return shape(x) == expected; }, timeout);
    REQUIRE_MESSAGE(shape(*t) == expected, "topology: " << describe(*t));
    return t;
}

// Polls `pred` every 20 ms until it holds or `timeout`.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 20s) {
    const auto deadline = Clock::now() + timeout;
    while (!pred()) {
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

inline std::vector<health::Event> events_of(const health::Monitor& m, health::EventKind kind) {
    std::vector<health::Event> out;
    for (auto& e : m.events())
        if (e.kind == kind) out.push_back(e);
    return out;
}

inline double seconds(Clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

}  // namespace sluice::test
