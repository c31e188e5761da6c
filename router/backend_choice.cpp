#include "router/backend_choice.hpp"

#include <limits>
#include <vector>

namespace sluice::router {

std::optional<std::size_t> choose_replica(const TopologyView& view, RouteState& rr) {
    std::uint32_t best = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::size_t> tied;
    for (std::size_t i = 0; i < view.backends.size(); ++i) {
        const BackendView& b = view.backends[i];
        if (!replica_eligible(b, view.settings) || b.outstanding > best) continue;
        if (b.outstanding < best) {
            best = b.outstanding;
            tied.clear();
        }
        tied.push_back(i);
    }
    if (tied.empty()) return std::nullopt;
    std::size_t pick = tied[rr.round_robin % tied.size()];
    ++rr.round_robin;
    return pick;
}

}  // namespace sluice::router
