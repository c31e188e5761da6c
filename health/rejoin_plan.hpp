#pragma once
// Fencing and rejoin decisions. Pure.
//
// A former primary that answers again is fenced (read_only=1) before anything else. A server that answers,
// is not the primary and does not replicate from it (a fenced former primary, a replica that was down during
// a failover and still points at the old primary, a read-only server with no replication) rejoins as a
// replica when everything it has is in the primary's history — compared as whole GTIDs, since
// MASTER_GTID_WAIT would let a diverged 0-1-16 pass for 0-2-16. Otherwise it has diverged: listed with its
// errant GTIDs and never rejoined automatically.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "health/topology.hpp"

namespace sluice::health {

enum class RejoinVerdict : std::uint8_t {
    not_needed,  // already a replica of the primary, or the primary itself
    wait,        // cannot decide now: it or the primary does not answer
    rejoin,      // safe to make it a replica of the primary
    diverged,    // has transactions the primary lacks
};

std::string_view to_string(RejoinVerdict v);

struct RejoinDecision {
    RejoinVerdict verdict = RejoinVerdict::wait;
    std::vector<Gtid> errant;  // when diverged
};

[[nodiscard]] RejoinDecision judge_rejoin(const Topology& t, std::size_t i);

// A former primary (one the monitor failed or switched away from) that answers and is writable.
[[nodiscard]] bool needs_fencing(const Topology& t, std::size_t i,
                                 const std::set<std::string>& former_primaries);

// Servers the monitor should try to rejoin by itself: answering, not the primary, not diverged, not
// replicating from the primary's tree, and either a former primary or read_only (a writable stranger is left
// alone and warned about: it may be someone's primary).
[[nodiscard]] std::vector<std::size_t> rejoin_targets(const Topology& t,
                                                      const std::set<std::string>& former_primaries);

}  // namespace sluice::health
