#pragma once
// The operator's overrides of a backend's role (SET SERVER name MAINTENANCE | DRAIN | ONLINE on the admin
// port). The monitor keeps them on its own thread and lays them over every derived topology, so the published
// snapshot says `maintenance` or `draining` for that backend: SHOW SERVERS shows it, routing skips it, and
// failover and switchover do not promote it (plan.cpp: ineligible()). The current primary is never
// overridden: taking it out is a switchover's job, so the monitor refuses that and ignores an override on a
// backend that later becomes primary (with a warning). Pure: unit-tested on fake topologies.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "health/topology.hpp"

namespace sluice::health {

enum class Override : std::uint8_t {
    online,       // no override: the derived role stands
    maintenance,  // taken out: no new reads, never promoted
    draining,     // going away: no new reads, what is pinned there finishes; never promoted
};

std::string_view to_string(Override o);
// "MAINTENANCE", "DRAIN" (or "DRAINING"), "ONLINE", any case.
std::optional<Override> override_from_string(std::string_view s);

using Overrides = std::map<std::string, Override>;  // backend name -> override (online is never stored)

// Sets each overridden backend's role; the primary keeps its role and gets a warning instead.
void apply_overrides(Topology& t, const Overrides& overrides);

}  // namespace sluice::health
