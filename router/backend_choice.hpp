#pragma once
// Choosing a replica for a new read: a score over the candidates with a written tie-break.
//   candidates: replica_eligible() (healthy replica, lag known and within max_replication_lag)
//   score:      outstanding statements, lower is better
//   tie-break:  among the best, in configuration order, the one at round_robin % count; the cursor then
//               advances, so equal replicas take turns.

#include <cstddef>
#include <optional>

#include "router/route.hpp"
#include "router/topology_view.hpp"

namespace sluice::router {

std::optional<std::size_t> choose_replica(const TopologyView& view, RouteState& rr);

}  // namespace sluice::router
