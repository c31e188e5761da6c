#include "health/event.hpp"

#include <fmt/format.h>

namespace sluice::health {

std::string_view to_string(EventKind k) {
    switch (k) {
        case EventKind::failover: return "failover";
        case EventKind::switchover: return "switchover";
        case EventKind::rejoin: return "rejoin";
        case EventKind::fence: return "fence";
        case EventKind::diverged: return "diverged";
        case EventKind::failover_refused: return "failover_refused";
    }
    return "?";
}

Event Event::of(EventKind k) {
    Event e;
    e.kind = k;
    e.at = std::chrono::system_clock::now();
    return e;
}

std::string describe(const Event& e) {
    std::string out = fmt::format("{} #{}", to_string(e.kind), e.id);
    const bool change_of_primary = e.kind == EventKind::failover || e.kind == EventKind::switchover;
    if (change_of_primary)
        out += fmt::format(" {} -> {}", e.old_primary.empty() ? "?" : e.old_primary,
                           e.new_primary.empty() ? "?" : e.new_primary);
    else if (e.kind == EventKind::failover_refused)
        out += " from " + (e.old_primary.empty() ? "?" : e.old_primary);
    else
        out += " " + e.backend + (e.new_primary.empty() ? "" : " (primary " + e.new_primary + ")");
    // Findings (diverged, refused) have no outcome of their own; actions do.
    if (e.kind != EventKind::diverged && e.kind != EventKind::failover_refused)
        out += fmt::format(" {} in {} ms", e.ok ? "ok" : "FAILED", e.duration.count());
    if (e.writes_paused.count() > 0) out += fmt::format(", writes paused {} ms", e.writes_paused.count());
    if (!e.reason.empty()) out += ": " + e.reason;
    for (const EventStep& s : e.steps)
        out += fmt::format("\n  {} {} {} ({} ms){}", s.ok ? "ok  " : "FAIL", s.backend, s.action,
                           s.duration.count(), s.detail.empty() ? "" : ": " + s.detail);
    return out;
}

std::uint64_t EventLog::add(Event e) {
    std::lock_guard lock(mu_);
    e.id = next_id_++;
    events_.push_back(std::move(e));
    while (events_.size() > capacity_) events_.pop_front();
    return events_.back().id;
}

std::vector<Event> EventLog::all() const {
    std::lock_guard lock(mu_);
    return {events_.begin(), events_.end()};
}

}  // namespace sluice::health
