#include "health/rejoin_plan.hpp"

namespace sluice::health {

std::string_view to_string(RejoinVerdict v) {
    switch (v) {
        case RejoinVerdict::not_needed: return "not_needed";
        case RejoinVerdict::wait: return "wait";
        case RejoinVerdict::rejoin: return "rejoin";
        case RejoinVerdict::diverged: return "diverged";
    }
    return "wait";
}

RejoinDecision judge_rejoin(const Topology& t, std::size_t i) {
    if (t.primary == i) return {RejoinVerdict::not_needed, {}};
    if (!t.primary || !t.backends[*t.primary].answered() || !t.backends[i].answered())
        return {RejoinVerdict::wait, {}};
    const BackendState& b = t.backends[i];
    if (b.role == Role::replica && b.master == t.primary) return {RejoinVerdict::not_needed, {}};
    auto errant = t.backends[*t.primary].status->history().missing(b.status->history());
    if (!errant.empty()) return {RejoinVerdict::diverged, std::move(errant)};
    return {RejoinVerdict::rejoin, {}};
}

bool needs_fencing(const Topology& t, std::size_t i, const std::set<std::string>& former_primaries) {
    const BackendState& b = t.backends[i];
    return t.primary != i && b.answered() && !b.status->read_only && former_primaries.contains(b.spec.name);
}

std::vector<std::size_t> rejoin_targets(const Topology& t, const std::set<std::string>& former_primaries) {
    std::vector<std::size_t> out;
    if (!t.primary || !t.backends[*t.primary].answered()) return out;
    for (std::size_t i = 0; i < t.backends.size(); ++i) {
        const BackendState& b = t.backends[i];
        if (i == *t.primary || !b.answered() || b.role != Role::unknown) continue;
        if (b.master == t.primary) continue;  // its replication is broken, not pointed elsewhere
        if (former_primaries.contains(b.spec.name) || b.status->read_only) out.push_back(i);
    }
    return out;
}

}  // namespace sluice::health
