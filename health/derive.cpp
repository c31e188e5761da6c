#include "health/derive.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sluice::health {

namespace {

using Backends = std::vector<BackendState>;

std::optional<std::size_t> backend_at(const Backends& all, const std::string& host, std::uint16_t port) {
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].spec.host == host && all[i].spec.port == port) return i;
    return std::nullopt;
}

// Who replicates from whom: the first replication connection of each live server that names a backend.
void link_masters(Backends& all, int failcount) {
    for (BackendState& b : all) {
        if (!b.alive(failcount)) continue;
        for (const SlaveStatus& s : b.status->slaves) {
            auto m = backend_at(all, s.master_host, s.master_port);
            if (m && &all[*m] != &b) {
                b.master = m;
                break;
            }
        }
    }
}

int replica_count(const Backends& all, std::size_t of, int failcount) {
    return static_cast<int>(std::count_if(
        all.begin(), all.end(), [&](const BackendState& b) { return b.alive(failcount) && b.master == of; }));
}

bool is_root(const BackendState& b, int failcount) {
    return b.alive(failcount) && !b.master;
}

// The writable root with strictly the most replicas, if there is one.
std::optional<std::size_t> best_writable_root(const Backends& all, const DeriveContext& ctx,
                                              bool need_replicas) {
    std::optional<std::size_t> best;
    int best_count = -1;
    bool tie = false;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const BackendState& b = all[i];
        if (!is_root(b, ctx.failcount) || b.status->read_only || ctx.diverged.contains(b.spec.name)) continue;
        int n = replica_count(all, i, ctx.failcount);
        if (n > best_count) {
            best = i, best_count = n, tie = false;
        } else if (n == best_count) {
            tie = true;
        }
    }
    if (!best || tie || (need_replicas && best_count == 0)) return std::nullopt;
    return best;
}

// The backend most live replicas point at (a primary the monitor cannot reach still has its replicas), among
// those not replicating themselves.
std::optional<std::size_t> most_replicated(const Backends& all, int failcount) {
    std::optional<std::size_t> best;
    int best_count = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (all[i].master) continue;
        int n = replica_count(all, i, failcount);
        if (n > best_count) best = i, best_count = n;
    }
    return best;
}

std::optional<std::size_t> find_primary(const Backends& all, const DeriveContext& ctx,
                                        std::vector<std::string>& warnings) {
    std::optional<std::size_t> hint;
    for (std::size_t i = 0; i < all.size(); ++i)
        if (ctx.primary_hint == all[i].spec.name) hint = i;
    if (hint) {
        const BackendState& h = all[*hint];
        if (is_root(h, ctx.failcount)) return hint;
        if (!h.alive(ctx.failcount)) {
            // Down: it stays the primary (to be failed over) unless someone else already took over.
            if (auto other = best_writable_root(all, ctx, true)) return other;
            return hint;
        }
        // Alive but replicating now: someone changed the topology; derive it afresh.
    }
    if (auto root = best_writable_root(all, ctx, false)) return root;
    if (auto target = most_replicated(all, ctx.failcount)) return target;
    int writable = 0;
    for (const BackendState& b : all)
        if (is_root(b, ctx.failcount) && !b.status->read_only) ++writable;
    if (writable > 1)
        warnings.push_back("cannot tell the primary: several writable servers, none with replicas");
    return std::nullopt;
}

// Replica of the primary, directly or through other replicas (a chain), with its SQL thread running.
bool replicates_from_primary(const Backends& all, std::size_t i, std::optional<std::size_t> primary,
                             int failcount) {
    std::size_t at = i;
    for (std::size_t hops = 0; hops < all.size(); ++hops) {
        const BackendState& b = all[at];
        const SlaveStatus* link = b.link(all);
        if (!b.alive(failcount) || !link || !link->sql_running) return false;
        if (!primary || *b.master == *primary) return true;
        at = *b.master;
    }
    return false;  // a replication loop that never reaches the primary
}

Role role_of(const Backends& all, std::size_t i, std::optional<std::size_t> primary,
             const DeriveContext& ctx) {
    const BackendState& b = all[i];
    if (!b.alive(ctx.failcount)) return b.failures >= ctx.failcount ? Role::down : Role::unknown;
    if (ctx.diverged.contains(b.spec.name)) return Role::diverged;
    if (primary == i) return Role::primary;
    if (replicates_from_primary(all, i, primary, ctx.failcount)) return Role::replica;
    return Role::unknown;
}

void warn_about_links(const Topology& t, int failcount, std::vector<std::string>& warnings) {
    const bool primary_alive = t.primary && t.backends[*t.primary].answered();
    for (const BackendState& b : t.backends) {
        if (!b.alive(failcount)) continue;
        const SlaveStatus* link = b.link(t.backends);
        if (link && !link->sql_running)
            warnings.push_back(fmt::format("backend={}: replication SQL thread stopped: {} {}", b.spec.name,
                                           link->last_sql_errno, link->last_sql_error));
        if (link && primary_alive && link->io_thread == IoThread::no)
            warnings.push_back(fmt::format("backend={}: replication IO thread stopped: {} {}", b.spec.name,
                                           link->last_io_errno, link->last_io_error));
        if (b.role == Role::unknown && b.master && t.primary && b.master != t.primary)
            warnings.push_back(fmt::format("backend={}: replicates from {}, not from the primary {}",
                                           b.spec.name, t.backends[*b.master].spec.name,
                                           t.backends[*t.primary].spec.name));
    }
}

void warn_about_writes(const Topology& t, int failcount, std::vector<std::string>& warnings) {
    std::vector<std::string> writable;
    for (const BackendState& b : t.backends)
        if (b.alive(failcount) && !b.status->read_only) writable.push_back(b.spec.name);
    if (writable.size() > 1)
        warnings.push_back(fmt::format("several servers are writable: {}", fmt::join(writable, ", ")));
    if (auto* p = t.writable_primary(); p && p->status->read_only)
        warnings.push_back(fmt::format("backend={}: the primary is read_only", p->spec.name));
}

// A primary with semi-sync enabled that is not waiting for acknowledgements (no semi-synchronous replica, or
// none answered within rpl_semi_sync_master_timeout): its commits are acknowledged before any replica has
// them, and a failover may lose them.
void warn_about_semi_sync(const Topology& t, std::vector<std::string>& warnings) {
    const BackendState* p = t.writable_primary();
    if (p && p->answered() && p->status->semi_sync_master_enabled && !p->status->semi_sync_master_on)
        warnings.push_back(
            fmt::format("backend={}: semi-sync is enabled on the primary but it does not wait for "
                        "replicas (Rpl_semi_sync_master_status OFF): writes are acknowledged "
                        "before a replica has them",
                        p->spec.name));
}

}  // namespace

Topology derive_topology(std::vector<BackendState> observed, const DeriveContext& ctx) {
    Topology t;
    t.backends = std::move(observed);
    for (BackendState& b : t.backends) {
        b.role = Role::unknown;
        b.master.reset();
        b.lag.reset();
        b.errant.clear();
    }
    link_masters(t.backends, ctx.failcount);
    std::vector<std::string> warnings;
    t.primary = find_primary(t.backends, ctx, warnings);
    for (std::size_t i = 0; i < t.backends.size(); ++i) {
        BackendState& b = t.backends[i];
        b.role = role_of(t.backends, i, t.primary, ctx);
        if (b.role == Role::replica) b.lag = b.link(t.backends)->seconds_behind;
        if (auto d = ctx.diverged.find(b.spec.name); d != ctx.diverged.end()) b.errant = d->second;
    }
    warn_about_writes(t, ctx.failcount, warnings);
    warn_about_links(t, ctx.failcount, warnings);
    warn_about_semi_sync(t, warnings);
    t.warnings = std::move(warnings);
    return t;
}

}  // namespace sluice::health
