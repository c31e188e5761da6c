// Automatic and manual failover: watch the primary, prepare (pure, plan.hpp), then perform.

#include <fmt/format.h>

#include "health/actions.hpp"
#include "health/log.hpp"
#include "health/monitor.hpp"

namespace sluice::health {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kRetryAbandoned{5};

std::chrono::milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

std::string connection_of(const Topology& t, std::size_t i) {
    const SlaveStatus* link = t.backends[i].link(t.backends);
    return link ? link->connection_name : "";
}

void log_verdict(const BackendSpec& primary, const PrimaryVerdict& v) {
    auto log = logger();
    switch (v.health) {
        case PrimaryHealth::none: break;
        case PrimaryHealth::healthy: log->info("backend={}: the primary answers", primary.name); break;
        case PrimaryHealth::suspect:
            log->warn("backend={}: primary check failed: {}", primary.name, v.detail);
            break;
        case PrimaryHealth::unconfirmed:
            log->warn("backend={}: the primary does not answer the monitor: {} (verify_primary_failure)",
                      primary.name, v.detail);
            break;
        case PrimaryHealth::down:
            log->error("backend={}: the primary is down: {}", primary.name, v.detail);
            break;
    }
}

}  // namespace

void Monitor::watch_primary(const Topology& t) {
    const PrimaryVerdict v = judge_primary(t, settings_);
    if (v.health != last_health_ && t.primary) log_verdict(t.backends[*t.primary].spec, v);
    last_health_ = v.health;
    if (v.health == PrimaryHealth::healthy) last_refusal_.clear();
    if (v.health != PrimaryHealth::down) return;
    if (!settings_.auto_failover) {
        refuse({RefusalCode::primary_alive, "auto_failover is off: waiting for a manual failover"}, t);
        return;
    }
    // An abandoned attempt stopped and restarted replication everywhere: not again on the very next check.
    if (abandoned_at_ && since(*abandoned_at_) < kRetryAbandoned) return;
    FailoverRequest r;
    r.automatic = true;
    if (last_failover_) r.since_last_failover = since(*last_failover_);
    (void)do_failover(r);
}

void Monitor::refuse(const Refusal& r, const Topology& t) {
    if (r.reason == last_refusal_) return;  // said once; the monitor retries every tick
    last_refusal_ = r.reason;
    Event e;
    e.kind = EventKind::failover_refused;
    e.at = std::chrono::system_clock::now();
    if (t.primary) e.old_primary = t.backends[*t.primary].spec.name;
    e.reason = fmt::format("{}: {}", to_string(r.code), r.reason);
    record(std::move(e));
}

OperationResult Monitor::do_failover(const FailoverRequest& r) {
    if (!r.automatic) refresh();
    auto t = current();
    Prepared p = prepare_failover(*t, r, settings_);
    if (auto* refusal = std::get_if<Refusal>(&p)) {
        if (r.automatic) refuse(*refusal, *t);
        return {false, fmt::format("failover refused ({}): {}", to_string(refusal->code), refusal->reason),
                0};
    }
    return perform_failover(std::get<Plan>(p), r);
}

// STOP SLAVE IO_THREAD everywhere, then wait until each has applied what it received; returns the replicas
// that did not manage (they are not candidates).
std::vector<std::size_t> Monitor::catch_up(const Plan& plan, Actions& a) {
    auto t = current();
    std::vector<std::size_t> group{plan.new_primary};
    group.insert(group.end(), plan.repoint.begin(), plan.repoint.end());
    for (std::size_t i : group)
        (void)a.run(specs_[i], "STOP SLAVE IO_THREAD", stop_io_sql(connection_of(*t, i)));
    const auto deadline = Clock::now() + settings_.failover_timeout;
    std::vector<std::size_t> late;
    for (std::size_t i : group) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (!a.wait_relay_applied(specs_[i], connection_of(*t, i),
                                  std::max(left, std::chrono::milliseconds(0))))
            late.push_back(i);
    }
    return late;
}

void Monitor::repoint(const std::vector<std::size_t>& replicas, std::size_t new_primary, Actions& a,
                      const Topology& t, bool semi_sync) {
    for (std::size_t i : replicas)
        (void)a.run(specs_[i], "re-point to " + specs_[new_primary].name,
                    change_master_sql(connection_of(t, i), source_of(new_primary, semi_sync)));
}

void Monitor::enable_semi_sync_primary(std::size_t candidate, Actions& a) {
    if (!a.run(specs_[candidate], "semi-sync: enable the primary side", semi_sync_primary_sql()))
        logger()->error(
            "backend={}: could not enable rpl_semi_sync_master_enabled before promoting it: its "
            "writes will be acknowledged without waiting for a replica (check the monitor "
            "account's privileges)",
            specs_[candidate].name);
}

// What the promotion changed, without waiting for the next checks: the new primary is writable and
// replicates from nobody, the old one (if it answers) is read-only. Lets the new topology go out at once.
void Monitor::note_promoted(std::size_t new_primary, std::size_t old_primary, bool semi_sync) {
    if (auto& s = observed_[new_primary].status) {
        s->read_only = false;
        s->slaves.clear();
        s->semi_sync_master_enabled = s->semi_sync_master_enabled || semi_sync;
    }
    if (auto& s = observed_[old_primary].status) s->read_only = true;
    ctx_.primary_hint = specs_[new_primary].name;
}

OperationResult Monitor::perform_failover(const Plan& plan, const FailoverRequest& r) {
    const auto start = Clock::now();
    auto t = current();
    Event e = Event::of(EventKind::failover);
    e.old_primary = specs_[plan.old_primary].name;
    if (const auto& s = t->backends[plan.old_primary].status) e.old_position = s->gtid_binlog_pos.to_string();
    e.reason = r.automatic ? "automatic: " + judge_primary(*t, settings_).detail
                           : (r.force ? "manual, forced" : "manual");
    // Decided before the IO threads stop: a replica's Rpl_semi_sync_slave_status goes OFF with them.
    const bool semi_sync = keeps_semi_sync(*t, plan.old_primary);
    failover_in_progress_ = true;
    republish_flags();
    Actions a(settings_, e);
    if (t->backends[plan.old_primary].answered())
        (void)a.run(specs_[plan.old_primary], "fence: SET GLOBAL read_only = 1",
                    {"SET GLOBAL read_only = 1"});
    const std::vector<std::size_t> late = catch_up(plan, a);
    refresh();  // the positions after the relay logs were applied decide
    t = current();
    auto chosen = select_candidate(*t, plan.old_primary, r.target, late);
    if (auto* refusal = std::get_if<Refusal>(&chosen))
        return abandon_failover(plan, std::move(e), *refusal, a);
    const std::size_t np = std::get<std::size_t>(chosen);
    e.new_primary = specs_[np].name;
    const std::vector<std::size_t> others = replicas_of(*t, plan.old_primary, np);
    // The IO threads are stopped and the relay logs applied: the candidate applies nothing more, so its
    // primary side of semi-sync can go on (semi_sync_primary_sql).
    if (semi_sync) enable_semi_sync_primary(np, a);
    if (!a.run(specs_[np], "promote", promote_sql(connection_of(*t, np)))) {
        if (semi_sync)
            (void)a.run(specs_[np], "semi-sync: primary side off again", semi_sync_primary_off_sql());
        return abandon_failover(plan, std::move(e), {RefusalCode::failed, "the promotion failed"}, a);
    }
    note_promoted(np, plan.old_primary, semi_sync);
    former_primaries_.insert(specs_[plan.old_primary].name);
    last_failover_ = Clock::now();
    failover_in_progress_ = false;
    publish(derive_now());
    repoint(others, np, a, *t, semi_sync);
    e.ok = true;
    e.duration = since(start);
    std::string msg =
        fmt::format("failover {} -> {} done in {} ms", e.old_primary, e.new_primary, e.duration.count());
    return {true, msg, record_after_checks(std::move(e), np)};
}

OperationResult Monitor::abandon_failover(const Plan& plan, Event e, const Refusal& why, Actions& a) {
    // Put replication back as it was: the replicas resume from the old primary if it ever returns.
    auto t = current();
    for (std::size_t i : replicas_of(*t, plan.old_primary))
        (void)a.run(specs_[i], "START SLAVE (failover abandoned)", start_slave_sql(connection_of(*t, i)));
    failover_in_progress_ = false;
    republish_flags();
    e.ok = false;
    e.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now() - e.at);
    e.reason += fmt::format("; abandoned ({}): {}", to_string(why.code), why.reason);
    last_refusal_ = why.reason;
    abandoned_at_ = Clock::now();
    std::string msg = fmt::format("failover refused ({}): {}", to_string(why.code), why.reason);
    return {false, msg, record(std::move(e))};
}

}  // namespace sluice::health
