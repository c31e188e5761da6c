#pragma once
// Is the primary down, and do its replicas agree? Pure: decides from a snapshot whether an automatic
// failover may start. A primary that only the monitor cannot reach (its account locked, a network path to the
// monitor broken) while its replicas still stream from it is not down: failing it over would make two
// primaries.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "health/backend_spec.hpp"
#include "health/topology.hpp"

namespace sluice::health {

enum class PrimaryHealth : std::uint8_t {
    none,         // no primary known
    healthy,      // the last check answered
    suspect,      // failed checks, fewer than failcount
    unconfirmed,  // failcount failed checks, but a replica still receives from it (verify_primary_failure)
    down,         // failcount failed checks and (if verifying) every live replica lost it too
};

std::string_view to_string(PrimaryHealth h);

struct PrimaryVerdict {
    PrimaryHealth health = PrimaryHealth::none;
    std::string detail;  // for the log: which replica still sees it, how many checks failed
};

[[nodiscard]] PrimaryVerdict judge_primary(const Topology& t, const MonitorSettings& s);

// Has this replication connection lost its primary? IO thread not running (No or Connecting) or an IO error.
bool lost_primary(const SlaveStatus& link);

}  // namespace sluice::health
