#include "router/backend_choice.hpp"

#include <limits>

namespace sluice::router {

// Two passes over the backends rather than a vector of the tied ones: this runs for every read, and the
// vector cost an allocation each time.
std::optional<std::size_t> choose_replica(const TopologyView& view, RouteState& rr) {
    std::uint32_t best = std::numeric_limits<std::uint32_t>::max();
    std::size_t tied = 0;
    for (const BackendView& b : view.backends) {
        if (!replica_eligible(b, view.settings) || b.outstanding > best) continue;
        if (b.outstanding < best) {
            best = b.outstanding;
            tied = 0;
        }
        ++tied;
    }
    if (tied == 0) return std::nullopt;
    std::size_t nth = rr.round_robin % tied;
    ++rr.round_robin;
    for (std::size_t i = 0; i < view.backends.size(); ++i) {
        const BackendView& b = view.backends[i];
        if (replica_eligible(b, view.settings) && b.outstanding == best && nth-- == 0) return i;
    }
    return std::nullopt;  // not reached: the first pass counted them
}

}  // namespace sluice::router
