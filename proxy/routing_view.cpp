#include "proxy/routing_view.hpp"

namespace sluice::proxy {

namespace {

router::BackendRole role_of(health::Role r, bool split) {
    switch (r) {
        case health::Role::primary: return router::BackendRole::primary;
        case health::Role::replica: return split ? router::BackendRole::replica : router::BackendRole::other;
        case health::Role::down: return router::BackendRole::down;
        case health::Role::maintenance: return router::BackendRole::maintenance;
        case health::Role::draining: return router::BackendRole::draining;
        case health::Role::unknown:
        case health::Role::diverged: return router::BackendRole::other;
    }
    return router::BackendRole::other;
}

}  // namespace

router::RouteSettings route_settings(const RoutingConfig& c) {
    router::RouteSettings s;
    if (c.max_replication_lag.count() > 0)
        s.max_replication_lag = std::chrono::duration_cast<std::chrono::seconds>(c.max_replication_lag);
    else
        s.max_replication_lag.reset();
    s.fallback = c.fallback == ReadFallback::error ? router::Fallback::error : router::Fallback::primary;
    // `global` is the proxy's business (it supplies the primary's position as the GTID to wait for).
    s.consistency =
        c.consistency == ConsistencyMode::none ? router::Consistency::eventual : router::Consistency::session;
    s.read_write_split = c.read_write_split;
    return s;
}

router::TopologyView make_view(const health::Topology* topology, const Runtime& rt,
                               const RoutingConfig& routing, const router::TopologyView& previous,
                               std::chrono::steady_clock::time_point now) {
    router::TopologyView view;
    view.settings = route_settings(routing);
    bool split = routing.read_write_split;
    bool known = topology && topology->version > 0;
    int failcount = rt.config.monitor.failcount;
    view.backends.reserve(rt.backends.size());
    for (std::size_t i = 0; i < rt.backends.size(); ++i) {
        router::BackendView b;
        b.name = rt.backends[i].spec.name;
        if (known && i >= topology->backends.size()) {
            b.role = router::BackendRole::other;  // added by RELOAD CONFIG, not in a snapshot yet
        } else if (known) {
            const health::BackendState& s = topology->backends[i];
            b.role = role_of(s.role, split);
            if (s.lag && *s.lag >= 0) b.lag = std::chrono::seconds(*s.lag);
            b.healthy = s.alive(failcount);
        } else {
            // Before the monitor's first round: the first backend is the primary, the others wait.
            b.role = i == 0 ? router::BackendRole::primary : router::BackendRole::other;
        }
        if (rt.gates[i]->retry_in(now).count() > 0) b.healthy = false;
        if (i < previous.backends.size()) b.outstanding = previous.backends[i].outstanding;
        view.backends.push_back(std::move(b));
    }
    return view;
}

}  // namespace sluice::proxy
