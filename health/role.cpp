#include "health/role.hpp"

#include <array>

namespace sluice::health {

namespace {
constexpr std::array kRoles{Role::unknown,     Role::primary,  Role::replica, Role::down,
                            Role::maintenance, Role::draining, Role::diverged};
}

std::string_view to_string(Role r) {
    switch (r) {
        case Role::unknown: return "unknown";
        case Role::primary: return "primary";
        case Role::replica: return "replica";
        case Role::down: return "down";
        case Role::maintenance: return "maintenance";
        case Role::draining: return "draining";
        case Role::diverged: return "diverged";
    }
    return "unknown";
}

std::optional<Role> role_from_string(std::string_view s) {
    for (Role r : kRoles)
        if (to_string(r) == s) return r;
    return std::nullopt;
}

}  // namespace sluice::health
