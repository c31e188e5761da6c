#include "health/plan.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "health/verdict.hpp"

namespace sluice::health {

namespace {

// What a replica has applied and what it has received (its relay log): a failover makes every candidate
// apply what it received first, and a replica that could not in time loses its unapplied relay log when it
// is re-pointed (CHANGE MASTER ... slave_pos). A transaction semi-sync acknowledged may be only there, so the
// chosen one must reach this, not only what the others applied.
GtidSet position(const Topology& t, const BackendState& b) {
    GtidSet out = b.status->gtid_current_pos;
    if (const SlaveStatus* link = b.link(t.backends)) out.merge(link->gtid_io_pos);
    return out;
}

void sort_by_preference(const Topology& t, std::vector<std::size_t>& v) {
    std::sort(v.begin(), v.end(), [&](std::size_t a, std::size_t b) {
        const BackendSpec& x = t.backends[a].spec;
        const BackendSpec& y = t.backends[b].spec;
        return x.priority != y.priority ? x.priority < y.priority : x.name < y.name;
    });
}

// The first member of `group` that `c` does not reach, if any.
std::optional<std::size_t> ahead_of(const Topology& t, std::size_t c, const std::vector<std::size_t>& group) {
    for (std::size_t o : group)
        if (o != c && !position(t, t.backends[c]).reaches(position(t, t.backends[o]))) return o;
    return std::nullopt;
}

Refusal no_candidate(const Topology& t, std::size_t old_primary, const std::vector<std::size_t>& group) {
    std::vector<std::string> why;
    for (std::size_t i : group)
        why.push_back(t.backends[i].spec.name + " " +
                      ineligible(t, i, old_primary).value_or("did not apply its relay log in time"));
    return {RefusalCode::no_candidate,
            why.empty() ? fmt::format("no live replica of {}", t.backends[old_primary].spec.name)
                        : fmt::format("no eligible replica: {}", fmt::join(why, "; "))};
}

std::vector<const BackendState*> witnesses(const Topology& t, std::size_t c, std::size_t old_primary,
                                           const std::vector<std::size_t>& group) {
    std::vector<const BackendState*> out;
    for (std::size_t o : group)
        if (o != c && t.backends[o].status->log_bin) out.push_back(&t.backends[o]);
    // The old primary's last answer is stale but still tells what it never had.
    if (t.backends[old_primary].status) out.push_back(&t.backends[old_primary]);
    return out;
}

std::variant<std::size_t, Refusal> pick(const Topology& t, std::vector<std::size_t> cands,
                                        const std::vector<std::size_t>& group) {
    sort_by_preference(t, cands);
    for (std::size_t c : cands)
        if (!ahead_of(t, c, group)) return c;
    const BackendState& c = t.backends[cands.front()];
    const BackendState& o = t.backends[*ahead_of(t, cands.front(), group)];
    return Refusal{RefusalCode::behind,
                   fmt::format("{} ({}) is behind {} ({}): promoting it would lose transactions", c.spec.name,
                               position(t, c).to_string(), o.spec.name, position(t, o).to_string())};
}

}  // namespace

std::string_view to_string(RefusalCode c) {
    switch (c) {
        case RefusalCode::no_primary: return "no_primary";
        case RefusalCode::primary_alive: return "primary_alive";
        case RefusalCode::unconfirmed: return "unconfirmed";
        case RefusalCode::cooldown: return "cooldown";
        case RefusalCode::no_candidate: return "no_candidate";
        case RefusalCode::unknown_target: return "unknown_target";
        case RefusalCode::target_not_eligible: return "target_not_eligible";
        case RefusalCode::behind: return "behind";
        case RefusalCode::errant: return "errant";
        case RefusalCode::failed: return "failed";
    }
    return "failed";
}

std::optional<std::string> ineligible(const Topology& t, std::size_t i, std::size_t primary) {
    const BackendState& b = t.backends[i];
    if (i == primary) return "is the primary";
    if (!b.answered()) return "is not answering";
    if (b.role == Role::diverged) return "is diverged";
    if (b.role == Role::maintenance) return "is in maintenance";
    if (b.role == Role::draining) return "is draining";
    if (b.master != primary) return fmt::format("does not replicate from {}", t.backends[primary].spec.name);
    if (const SlaveStatus* link = b.link(t.backends); !link || !link->sql_running)
        return "has its replication SQL thread stopped";
    if (b.spec.never_promote) return "has never_promote set";
    if (!b.status->log_bin) return "has log_bin off";
    if (!b.status->log_slave_updates) return "has log_slave_updates off";
    return std::nullopt;
}

std::vector<std::size_t> replicas_of(const Topology& t, std::size_t old_primary,
                                     std::optional<std::size_t> except) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < t.backends.size(); ++i) {
        const BackendState& b = t.backends[i];
        if (i != except && b.answered() && b.master == old_primary && b.role != Role::diverged)
            out.push_back(i);
    }
    return out;
}

bool semi_sync_in_use(const Topology& t, std::size_t primary) {
    if (const auto& s = t.backends[primary].status) return s->semi_sync_master_enabled;
    return std::any_of(t.backends.begin(), t.backends.end(), [&](const BackendState& b) {
        return b.master == primary && b.status && b.status->semi_sync_slave_on;
    });
}

std::optional<std::uint32_t> server_id_of(const Topology& t, std::size_t i) {
    if (t.backends[i].status) return t.backends[i].status->server_id;
    for (const BackendState& b : t.backends)
        if (const SlaveStatus* link = b.master == i ? b.link(t.backends) : nullptr;
            link && link->master_server_id)
            return link->master_server_id;
    return std::nullopt;
}

std::vector<Gtid> errant_on(const BackendState& candidate, const std::vector<const BackendState*>& others,
                            std::optional<std::uint32_t> old_primary_server_id) {
    std::vector<Gtid> out;
    const GtidSet history = candidate.status->history();
    for (const Gtid& g : history.gtids()) {
        if (g.server_id == old_primary_server_id) continue;
        for (const BackendState* o : others) {
            if (o->status->history().contains(g)) continue;
            bool passed = o->status->gtid_current_pos.seq_in_domain(g.domain).value_or(0) >= g.seq;
            if (passed || g.server_id == candidate.status->server_id) {
                out.push_back(g);
                break;
            }
        }
    }
    return out;
}

std::variant<std::size_t, Refusal> select_candidate(const Topology& t, std::size_t old_primary,
                                                    const std::optional<std::string>& target,
                                                    const std::vector<std::size_t>& excluded) {
    const auto is_excluded = [&](std::size_t i) {
        return std::find(excluded.begin(), excluded.end(), i) != excluded.end();
    };
    const std::vector<std::size_t> group = replicas_of(t, old_primary);
    std::vector<std::size_t> cands;
    if (target) {
        auto i = t.index_of(*target);
        if (!i)
            return Refusal{RefusalCode::unknown_target, fmt::format("no backend is called '{}'", *target)};
        if (auto why = ineligible(t, *i, old_primary))
            return Refusal{RefusalCode::target_not_eligible, fmt::format("{} {}", *target, *why)};
        if (is_excluded(*i))
            return Refusal{RefusalCode::target_not_eligible,
                           fmt::format("{} did not apply its relay log in time", *target)};
        cands.push_back(*i);
    } else {
        for (std::size_t i : group)
            if (!ineligible(t, i, old_primary) && !is_excluded(i)) cands.push_back(i);
        if (cands.empty()) return no_candidate(t, old_primary, group);
    }
    auto picked = pick(t, cands, group);
    if (auto* r = std::get_if<Refusal>(&picked)) return *r;
    std::size_t c = std::get<std::size_t>(picked);
    auto errant = errant_on(t.backends[c], witnesses(t, c, old_primary, group), server_id_of(t, old_primary));
    if (!errant.empty())
        return Refusal{RefusalCode::errant,
                       fmt::format("{} has errant transactions the other servers lack: {}",
                                   t.backends[c].spec.name, to_string(errant))};
    return c;
}

Prepared prepare_failover(const Topology& t, const FailoverRequest& r, const MonitorSettings& s) {
    if (!t.primary) return Refusal{RefusalCode::no_primary, "no primary known"};
    const PrimaryVerdict v = judge_primary(t, s);
    const std::string& name = t.backends[*t.primary].spec.name;
    if (v.health == PrimaryHealth::unconfirmed && !r.force)
        return Refusal{RefusalCode::unconfirmed, fmt::format("{}: {}", name, v.detail)};
    if (v.health != PrimaryHealth::down && v.health != PrimaryHealth::unconfirmed && !r.force)
        return Refusal{RefusalCode::primary_alive,
                       fmt::format("{} is {}{}", name, to_string(v.health),
                                   r.automatic ? "" : ": use switchover, or force")};
    if (r.automatic && r.since_last_failover && *r.since_last_failover < s.failover_cooldown)
        return Refusal{RefusalCode::cooldown, fmt::format("{} is down, but the last failover is within "
                                                          "failover_cooldown ({} s)",
                                                          name, s.failover_cooldown.count())};
    auto c = select_candidate(t, *t.primary, r.target);
    if (auto* refusal = std::get_if<Refusal>(&c)) return *refusal;
    std::size_t chosen = std::get<std::size_t>(c);
    return Plan{*t.primary, chosen, replicas_of(t, *t.primary, chosen), server_id_of(t, *t.primary)};
}

Prepared prepare_switchover(const Topology& t, const std::optional<std::string>& target) {
    if (!t.primary) return Refusal{RefusalCode::no_primary, "no primary known"};
    const std::size_t old = *t.primary;
    const BackendState& p = t.backends[old];
    if (!p.answered())
        return Refusal{RefusalCode::no_primary,
                       fmt::format("{} is not answering: use failover", p.spec.name)};
    std::vector<std::size_t> cands;
    if (target) {
        auto i = t.index_of(*target);
        if (!i)
            return Refusal{RefusalCode::unknown_target, fmt::format("no backend is called '{}'", *target)};
        if (auto why = ineligible(t, *i, old))
            return Refusal{RefusalCode::target_not_eligible, fmt::format("{} {}", *target, *why)};
        cands.push_back(*i);
    } else {
        for (std::size_t i : replicas_of(t, old))
            if (!ineligible(t, i, old)) cands.push_back(i);
        if (cands.empty()) return no_candidate(t, old, replicas_of(t, old));
        // Every candidate catches up with the primary before promotion: prefer the closest, then priority.
        sort_by_preference(t, cands);
        auto picked = pick(t, cands, cands);
        cands = {std::holds_alternative<std::size_t>(picked) ? std::get<std::size_t>(picked) : cands.front()};
    }
    const BackendState& c = t.backends[cands.front()];
    // The primary's own GTIDs are left out: under writes the replica's check may have come after the
    // primary's.
    auto errant = p.status->history().missing(c.status->history());
    std::erase_if(errant, [&](const Gtid& g) { return g.server_id == p.status->server_id; });
    if (!errant.empty())
        return Refusal{RefusalCode::errant, fmt::format("{} has transactions the primary {} lacks: {}",
                                                        c.spec.name, p.spec.name, to_string(errant))};
    return Plan{old, cands.front(), replicas_of(t, old, cands.front()), p.status->server_id};
}

}  // namespace sluice::health
