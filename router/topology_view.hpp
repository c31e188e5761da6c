#pragma once
// The router's own small view of the cluster. The proxy builds it from health's topology snapshot and its own
// counters (so router/ needs nothing from health/ or proxy/), in configuration order: plan indexes refer to
// it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::router {

enum class BackendRole : std::uint8_t {
    primary,
    replica,
    down,
    maintenance,  // taken out by the operator: no new reads; what is pinned there may finish
    draining,     // going away: no new reads; what is pinned there may finish
    other,        // not checked yet, diverged, unknown: never chosen for new work
};

struct BackendView {
    std::string name;
    BackendRole role = BackendRole::other;
    std::optional<std::chrono::seconds>
        lag;                        // behind the primary; unknown (replication stopped) disqualifies
    std::uint32_t outstanding = 0;  // statements the proxy has sent it and not seen answered
    bool healthy = true;            // the last checks answered
};

enum class Fallback : std::uint8_t {
    primary,  // no replica qualifies: reads go to the primary
    error,    // no replica qualifies: the read fails (the plan carries RouteError::no_replica)
};

enum class Consistency : std::uint8_t {
    eventual,  // reads see the replica as it is
    session,   // read-your-writes: after the session's own write a replica first waits for its GTID
};

struct RouteSettings {
    std::optional<std::chrono::seconds> max_replication_lag = std::chrono::seconds{30};  // nullopt: no limit
    Fallback fallback = Fallback::primary;
    Consistency consistency = Consistency::eventual;
    bool read_write_split = true;  // off: reads go to the primary too (whatever `fallback` says)
};

struct TopologyView {
    std::vector<BackendView> backends;
    RouteSettings settings;

    // The primary when it can take statements: role primary and healthy.
    std::optional<std::size_t> primary() const;
    std::optional<std::size_t> find(std::string_view name) const;
};

// Can take statements the session already has there (a transaction, temporary tables): healthy and not down.
bool reachable(const BackendView& b);
// May take a new read: a healthy replica whose lag is known and within the limit.
bool replica_eligible(const BackendView& b, const RouteSettings& settings);

std::string_view to_string(BackendRole r);
std::string_view to_string(Fallback f);
std::string_view to_string(Consistency c);

}  // namespace sluice::router
