// Fencing former primaries and rejoining servers as replicas (decisions in rejoin_plan.hpp).

#include <fmt/format.h>

#include "health/actions.hpp"
#include "health/log.hpp"
#include "health/monitor.hpp"
#include "health/rejoin_plan.hpp"

namespace sluice::health {

namespace {

using Clock = std::chrono::steady_clock;

// A failed automatic rejoin is retried this much later, not on every check.
constexpr std::chrono::seconds kRejoinBackoff{5};

}  // namespace

void Monitor::fence_and_rejoin(const Topology& t) {
    bool fenced = false;
    for (std::size_t i = 0; i < t.backends.size(); ++i)
        if (needs_fencing(t, i, former_primaries_)) fenced = fence(i) || fenced;
    if (fenced) refresh();
    if (!settings_.auto_rejoin) return;
    bool rejoined = false;
    for (std::size_t i : rejoin_targets(*current(), former_primaries_)) {
        auto last = rejoin_backoff_.find(specs_[i].name);
        if (last != rejoin_backoff_.end() && Clock::now() - last->second < kRejoinBackoff) continue;
        rejoined = rejoin_one(i, true).ok || rejoined;
    }
    if (rejoined) refresh();
}

bool Monitor::fence(std::size_t i) {
    Event e = Event::of(EventKind::fence);
    e.backend = specs_[i].name;
    e.reason = "a former primary answers again, writable";
    logger()->warn("backend={}: {}: fencing it (read_only = 1)", e.backend, e.reason);
    Actions a(settings_, e);
    e.ok = a.run(specs_[i], "SET GLOBAL read_only = 1", {"SET GLOBAL read_only = 1"});
    const bool ok = e.ok;
    record(std::move(e));
    return ok;
}

OperationResult Monitor::rejoin_one(std::size_t i, bool automatic) {
    const auto t = current();
    const std::string& name = specs_[i].name;
    const RejoinDecision d = judge_rejoin(*t, i);
    switch (d.verdict) {
        case RejoinVerdict::not_needed:
            former_primaries_.erase(name);
            return {true, name + " already replicates from the primary", 0};
        case RejoinVerdict::wait:
            return {false, name + " or the primary does not answer: cannot decide now", 0};
        case RejoinVerdict::diverged: {
            const std::string errant = to_string(d.errant);
            const std::string msg =
                fmt::format("{} has diverged: transactions the primary lacks: {}", name, errant);
            if (ctx_.diverged.contains(name) && ctx_.diverged[name] == d.errant) return {false, msg, 0};
            ctx_.diverged[name] = d.errant;
            Event e = Event::of(EventKind::diverged);
            e.backend = name;
            e.new_primary = specs_[*t->primary].name;
            e.old_position = t->backends[i].status->gtid_binlog_pos.to_string();
            e.new_position = t->backends[*t->primary].status->gtid_binlog_pos.to_string();
            e.reason = fmt::format("errant GTIDs {}: it must be rebuilt, it is never rejoined automatically",
                                   errant);
            const auto id = record(std::move(e));
            publish(derive_now());
            return {false, msg, id};
        }
        case RejoinVerdict::rejoin: break;
    }
    Event e = Event::of(EventKind::rejoin);
    e.backend = name;
    e.new_primary = specs_[*t->primary].name;
    e.old_position = t->backends[i].status->gtid_binlog_pos.to_string();
    e.reason = automatic ? "automatic" : "manual";
    const auto start = Clock::now();
    Actions a(settings_, e);
    e.ok =
        a.run(specs_[i], "rejoin as replica of " + e.new_primary,
              rejoin_sql(*t->backends[i].status, source_of(*t->primary, keeps_semi_sync(*t, *t->primary))));
    e.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    if (e.ok) {
        former_primaries_.erase(name);
        ctx_.diverged.erase(name);
        rejoin_backoff_.erase(name);
    } else {
        rejoin_backoff_[name] = Clock::now();
    }
    const bool ok = e.ok;
    const std::string msg = fmt::format("rejoin of {} {}", name, ok ? "done" : "failed");
    return {ok, msg, record(std::move(e))};
}

OperationResult Monitor::do_rejoin(const std::string& name) {
    refresh();
    auto i = current()->index_of(name);
    if (!i) return {false, fmt::format("no backend is called '{}'", name), 0};
    OperationResult r = rejoin_one(*i, false);
    refresh();
    return r;
}

}  // namespace sluice::health
