#include "router/topology_view.hpp"

namespace sluice::router {

std::optional<std::size_t> TopologyView::primary() const {
    for (std::size_t i = 0; i < backends.size(); ++i)
        if (backends[i].role == BackendRole::primary && backends[i].healthy) return i;
    return std::nullopt;
}

std::optional<std::size_t> TopologyView::find(std::string_view name) const {
    for (std::size_t i = 0; i < backends.size(); ++i)
        if (backends[i].name == name) return i;
    return std::nullopt;
}

bool reachable(const BackendView& b) {
    return b.healthy && b.role != BackendRole::down;
}

bool replica_eligible(const BackendView& b, const RouteSettings& settings) {
    if (b.role != BackendRole::replica || !b.healthy || !b.lag) return false;
    return !settings.max_replication_lag || *b.lag <= *settings.max_replication_lag;
}

std::string_view to_string(BackendRole r) {
    switch (r) {
        case BackendRole::primary: return "primary";
        case BackendRole::replica: return "replica";
        case BackendRole::down: return "down";
        case BackendRole::maintenance: return "maintenance";
        case BackendRole::draining: return "draining";
        case BackendRole::other: return "other";
    }
    return "?";
}

std::string_view to_string(Fallback f) {
    return f == Fallback::primary ? "primary" : "error";
}

std::string_view to_string(Consistency c) {
    return c == Consistency::eventual ? "eventual" : "session";
}

}  // namespace sluice::router
