// Planned switchover: no transaction lost. The target first catches up with the primary while writes flow;
// then the primary goes read-only (the proxy holds writes meanwhile: writes_paused), the target applies the
// primary's final position, is promoted, and everybody else — the old primary included — follows it.

#include <fmt/format.h>

#include "health/actions.hpp"
#include "health/log.hpp"
#include "health/monitor.hpp"

namespace sluice::health {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kCatchUpRounds = 5;
constexpr std::chrono::milliseconds kCloseEnough{50};

std::chrono::milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

}  // namespace

OperationResult Monitor::do_switchover(const std::optional<std::string>& target) {
    refresh();
    Prepared p = prepare_switchover(*current(), target);
    if (auto* refusal = std::get_if<Refusal>(&p))
        return {false, fmt::format("switchover refused ({}): {}", to_string(refusal->code), refusal->reason),
                0};
    return perform_switchover(std::get<Plan>(p));
}

OperationResult Monitor::perform_switchover(const Plan& plan) {
    const auto start = Clock::now();
    const auto t = current();
    const BackendSpec& old_spec = specs_[plan.old_primary];
    const BackendSpec& new_spec = specs_[plan.new_primary];
    const SlaveStatus* link = t->backends[plan.new_primary].link(t->backends);
    Event e = Event::of(EventKind::switchover);
    e.old_primary = old_spec.name;
    e.new_primary = new_spec.name;
    Actions a(settings_, e);
    if (!catch_up_before_pause(plan, a)) {
        e.reason = new_spec.name + " did not catch up with the primary";
        e.duration = since(start);
        return OperationResult{false, "switchover failed: " + e.reason, record(std::move(e))};
    }
    const bool semi_sync = keeps_semi_sync(*t, plan.old_primary);
    const auto paused_at = Clock::now();
    writes_paused_ = true;
    republish_flags();
    auto fail = [&](bool promoted, std::string why) {
        undo_switchover(plan, a, promoted);
        e.reason = std::move(why);
        e.duration = since(start);
        return OperationResult{false, "switchover failed: " + e.reason, record(std::move(e))};
    };
    if (!a.run(old_spec, "SET GLOBAL read_only = 1", {"SET GLOBAL read_only = 1"}))
        return fail(false, "could not make the primary read-only");
    auto final_pos = a.read(old_spec, "final position", "SELECT @@gtid_binlog_pos");
    auto final_set = GtidSet::parse(final_pos.value_or(""));
    if (!final_pos || !final_set) return fail(false, "could not read the primary's final position");
    e.old_position = *final_pos;
    if (!a.wait_gtid(new_spec, *final_set, settings_.switchover_timeout))
        return fail(false, new_spec.name + " did not apply the primary's final position");
    // Only now that it has applied everything (semi_sync_primary_sql); a failed promotion's undo (a rejoin)
    // switches it off again.
    if (semi_sync) enable_semi_sync_primary(plan.new_primary, a);
    if (!a.run(new_spec, "promote", promote_sql(link ? link->connection_name : "")))
        return fail(true, "the promotion failed");
    note_promoted(plan.new_primary, plan.old_primary, semi_sync);
    writes_paused_ = false;
    publish(derive_now());
    e.writes_paused = since(paused_at);
    repoint(plan.repoint, plan.new_primary, a, *t, semi_sync);
    const auto& old_status = t->backends[plan.old_primary].status;
    if (!a.run(old_spec, "rejoin as replica of " + new_spec.name,
               rejoin_sql(*old_status, source_of(plan.new_primary, semi_sync))))
        former_primaries_.insert(old_spec.name);  // fenced (read-only); the rejoin is retried by the monitor
    e.ok = true;
    e.duration = since(start);
    std::string msg = fmt::format("switchover {} -> {} done in {} ms, writes paused {} ms", e.old_primary,
                                  e.new_primary, e.duration.count(), e.writes_paused.count());
    return {true, msg, record_after_checks(std::move(e), plan.new_primary)};
}

// The target applies the primary's current position while writes still flow, so that the pause that follows
// covers only the last few transactions. A replica that is behind chases a moving position: a few rounds,
// until one takes under kCloseEnough.
bool Monitor::catch_up_before_pause(const Plan& plan, Actions& a) {
    const auto deadline = Clock::now() + settings_.switchover_timeout;
    for (int round = 0; round < kCatchUpRounds; ++round) {
        auto pos = a.read(specs_[plan.old_primary], "position before the pause", "SELECT @@gtid_binlog_pos");
        auto set = GtidSet::parse(pos.value_or(""));
        const auto started = Clock::now();
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - started);
        if (!pos || !set || left.count() <= 0 || !a.wait_gtid(specs_[plan.new_primary], *set, left))
            return false;
        if (Clock::now() - started < kCloseEnough) break;
    }
    return true;
}

// Back to the old primary: it takes writes again; a half-promoted target follows it again.
void Monitor::undo_switchover(const Plan& plan, Actions& a, bool promoted) {
    if (promoted)
        (void)a.run(specs_[plan.new_primary], "undo: follow " + specs_[plan.old_primary].name + " again",
                    rejoin_sql(*current()->backends[plan.new_primary].status,
                               source_of(plan.old_primary, keeps_semi_sync(*current(), plan.old_primary))));
    (void)a.run(specs_[plan.old_primary], "undo: SET GLOBAL read_only = 0", {"SET GLOBAL read_only = 0"});
    ctx_.primary_hint = specs_[plan.old_primary].name;
    writes_paused_ = false;
    refresh();
}

}  // namespace sluice::health
