#include "health/topology.hpp"

namespace sluice::health {

const SlaveStatus* BackendState::link(const std::vector<BackendState>& all) const {
    if (!master || !status || *master >= all.size()) return nullptr;
    const BackendSpec& m = all[*master].spec;
    return status->slave_to(m.host, m.port);
}

const BackendState* Topology::find(std::string_view name) const {
    auto i = index_of(name);
    return i ? &backends[*i] : nullptr;
}

std::optional<std::size_t> Topology::index_of(std::string_view name) const {
    for (std::size_t i = 0; i < backends.size(); ++i)
        if (backends[i].spec.name == name) return i;
    return std::nullopt;
}

const BackendState* Topology::writable_primary() const {
    if (!primary) return nullptr;
    const BackendState& b = backends[*primary];
    return b.role == Role::primary ? &b : nullptr;
}

std::vector<const BackendState*> Topology::with_role(Role r) const {
    std::vector<const BackendState*> out;
    for (const BackendState& b : backends)
        if (b.role == r) out.push_back(&b);
    return out;
}

bool Topology::same_shape(const Topology& other) const {
    if (primary != other.primary || writes_paused != other.writes_paused ||
        failover_in_progress != other.failover_in_progress || warnings != other.warnings ||
        backends.size() != other.backends.size())
        return false;
    for (std::size_t i = 0; i < backends.size(); ++i) {
        const BackendState& a = backends[i];
        const BackendState& b = other.backends[i];
        if (a.role != b.role || a.master != b.master || a.answered() != b.answered() || a.errant != b.errant)
            return false;
    }
    return true;
}

std::string describe(const Topology& t) {
    std::string out;
    for (const BackendState& b : t.backends) {
        if (!out.empty()) out += ' ';
        out += b.spec.name + "=" + std::string(to_string(b.role));
        if (b.role == Role::replica && b.lag) out += "(lag " + std::to_string(*b.lag) + ")";
        if (b.failures > 0) out += "(failures " + std::to_string(b.failures) + ")";
    }
    if (t.writes_paused) out += " [writes paused]";
    if (t.failover_in_progress) out += " [failover in progress]";
    return out;
}

}  // namespace sluice::health
