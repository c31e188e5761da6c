#include "health/overrides.hpp"

#include <fmt/format.h>

#include <cctype>

namespace sluice::health {

std::string_view to_string(Override o) {
    switch (o) {
        case Override::online: return "online";
        case Override::maintenance: return "maintenance";
        case Override::draining: return "draining";
    }
    return "online";
}

std::optional<Override> override_from_string(std::string_view s) {
    std::string up;
    for (char c : s) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (up == "ONLINE") return Override::online;
    if (up == "MAINTENANCE") return Override::maintenance;
    if (up == "DRAIN" || up == "DRAINING") return Override::draining;
    return std::nullopt;
}

void apply_overrides(Topology& t, const Overrides& overrides) {
    for (std::size_t i = 0; i < t.backends.size(); ++i) {
        BackendState& b = t.backends[i];
        auto it = overrides.find(b.spec.name);
        if (it == overrides.end() || it->second == Override::online) continue;
        if (t.primary == i) {
            t.warnings.push_back(
                fmt::format("backend={}: set to {} but it is the primary; ignored while it is", b.spec.name,
                            to_string(it->second)));
            continue;
        }
        b.role = it->second == Override::maintenance ? Role::maintenance : Role::draining;
    }
}

}  // namespace sluice::health
