#pragma once
// The role of a backend as the monitor sees it.

#include <cstdint>
#include <optional>
#include <string_view>

namespace sluice::health {

enum class Role : std::uint8_t {
    unknown,      // not checked yet
    primary,      // writable, replicating from nobody we know
    replica,      // read_only, replicating from the primary
    down,         // unreachable or not answering
    maintenance,  // taken out by the operator
    draining,     // no new sessions; running transactions finish
    diverged,     // has transactions the primary does not: must be rebuilt
};

std::string_view to_string(Role r);
std::optional<Role> role_from_string(std::string_view s);

}  // namespace sluice::health
