#include "health/verdict.hpp"

#include <fmt/format.h>

namespace sluice::health {

std::string_view to_string(PrimaryHealth h) {
    switch (h) {
        case PrimaryHealth::none: return "none";
        case PrimaryHealth::healthy: return "healthy";
        case PrimaryHealth::suspect: return "suspect";
        case PrimaryHealth::unconfirmed: return "unconfirmed";
        case PrimaryHealth::down: return "down";
    }
    return "none";
}

bool lost_primary(const SlaveStatus& link) {
    return link.io_thread != IoThread::yes || link.last_io_errno != 0;
}

PrimaryVerdict judge_primary(const Topology& t, const MonitorSettings& s) {
    if (!t.primary) return {PrimaryHealth::none, "no primary known"};
    const BackendState& p = t.backends[*t.primary];
    if (p.failures == 0) return {PrimaryHealth::healthy, ""};
    if (p.failures < s.failcount)
        return {PrimaryHealth::suspect, fmt::format("{} of {} checks failed", p.failures, s.failcount)};
    const std::string failed = fmt::format("{} checks failed in a row ({})", p.failures, p.error);
    if (!s.verify_primary_failure) return {PrimaryHealth::down, failed};
    for (const BackendState& b : t.backends) {
        if (!b.answered() || b.master != t.primary) continue;
        const SlaveStatus* link = b.link(t.backends);
        if (link && !lost_primary(*link))
            return {PrimaryHealth::unconfirmed,
                    fmt::format("{}, but {} still replicates from it (IO thread {}): not failing over",
                                failed, b.spec.name, to_string(link->io_thread))};
    }
    return {PrimaryHealth::down, failed + ", and no replica receives from it"};
}

}  // namespace sluice::health
