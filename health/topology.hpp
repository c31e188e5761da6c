#pragma once
// The monitor's view of the cluster at one moment: an immutable, versioned snapshot. The monitor publishes a
// new one after every check (std::shared_ptr<const Topology>); the data path reads it without locking for
// long and routes on it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "health/backend_spec.hpp"
#include "health/gtid.hpp"
#include "health/role.hpp"
#include "health/server_status.hpp"

namespace sluice::health {

struct BackendState {
    BackendSpec spec;

    // Observed by the checks.
    int failures = 0;                      // failed checks in a row (0: the last check answered)
    std::optional<ServerStatus> status;    // from the last check that answered; kept (stale) while failing
    std::string error;                     // why the last check failed
    unsigned error_code = 0;               // the server's or Connector/C's error number, 0 for a timeout
    std::chrono::microseconds latency{0};  // of the last check that answered

    // Derived (derive.cpp).
    Role role = Role::unknown;
    std::optional<std::size_t> master;  // index of the backend it replicates from
    std::optional<std::int64_t> lag;    // Seconds_Behind_Master towards `master`
    std::vector<Gtid> errant;           // when diverged: what it has that the primary does not

    bool answered() const { return failures == 0 && status.has_value(); }
    // Still counted alive: answered recently enough (fewer than `failcount` failures) and seen once.
    bool alive(int failcount) const { return failures < failcount && status.has_value(); }
    // The replication connection towards `master`, when there is one.
    const SlaveStatus* link(const std::vector<BackendState>& all) const;
};

struct Topology {
    std::uint64_t version = 0;
    std::chrono::system_clock::time_point at{};
    std::vector<BackendState> backends;  // in configuration order
    std::optional<std::size_t> primary;  // the current primary, even while down (then its role says so)
    bool writes_paused = false;          // a switchover has made the primary read-only: hold new writes
    bool failover_in_progress = false;   // the primary is being replaced: hold writes (failover_hold_timeout)
    std::vector<std::string> warnings;   // split brain, broken replication, ... (also logged)

    const BackendState* find(std::string_view name) const;
    std::optional<std::size_t> index_of(std::string_view name) const;
    // The primary when it can take writes right now (role primary), else nullptr.
    const BackendState* writable_primary() const;
    std::vector<const BackendState*> with_role(Role r) const;
    // Equal as far as routing cares: roles, primary, flags, reachability and errant lists (not latency, lag
    // or positions, which change on every check).
    bool same_shape(const Topology& other) const;
};

// "db1=primary db2=replica(lag 0) db3=down" for logs and test messages.
std::string describe(const Topology& t);

}  // namespace sluice::health
