#pragma once
// Topology derivation: from what each server says (read_only, its replication connections) to who is the
// primary, who replicates from whom, roles, lag and warnings. Pure: no I/O, no clock, unit-tested on fake
// snapshots.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "health/topology.hpp"

namespace sluice::health {

struct DeriveContext {
    int failcount = 3;
    // The primary the monitor already knows (the last one derived, or the one it promoted). It stays the
    // primary while it is alive and not replicating, and while it is down (then with role down) unless
    // another writable server has replicas: that keeps a failover decision stable when a fenced former
    // primary comes back writable.
    std::optional<std::string> primary_hint;
    // Backends found diverged (name -> errant GTIDs): role diverged, never a replica, until the operator
    // rebuilds them.
    std::map<std::string, std::vector<Gtid>> diverged;
};

// `observed` carries the spec and the check results (failures, status, error, latency) of every backend;
// the result has roles, masters, lag, the primary and warnings filled in. Version and time are the caller's.
[[nodiscard]] Topology derive_topology(std::vector<BackendState> observed, const DeriveContext& ctx);

}  // namespace sluice::health
