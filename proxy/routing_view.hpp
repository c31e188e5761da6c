#pragma once
// The router's view of the cluster as one worker sees it: roles and lag from the monitor's latest snapshot,
// reachability from the backends' gates (a backend Sluice itself failed to reach recently is left alone while
// it backs off), and the worker's own count of statements outstanding on each backend.

#include <chrono>
#include <memory>

#include "health/topology.hpp"
#include "proxy/runtime.hpp"
#include "router/topology_view.hpp"

namespace sluice::proxy {

router::RouteSettings route_settings(const RoutingConfig& c);

// `previous` supplies the outstanding counts (same backends, same order).
router::TopologyView make_view(const health::Topology* topology, const Runtime& rt,
                               const RoutingConfig& routing, const router::TopologyView& previous,
                               std::chrono::steady_clock::time_point now);

}  // namespace sluice::proxy
