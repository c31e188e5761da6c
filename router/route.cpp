#include "router/route.hpp"

#include <optional>
#include <string>

#include "router/backend_choice.hpp"

namespace sluice::router {

namespace {

// EXECUTE of a SQL prepared statement may run where its text could.
Placement effective_placement(const Statement& st, const SessionState& s) {
    if (st.verb != Verb::execute || st.prepared_name.empty()) return st.placement;
    auto it = s.prepared.find(st.prepared_name);
    return it != s.prepared.end() && it->second ? Placement::replica_ok : Placement::primary;
}

std::string why_primary(const Statement& st) {
    if (st.has(Flag::malformed)) return "malformed statement";
    if (st.has(Flag::multi_statement)) return "multi-statement";
    if (st.has(Flag::locking_read)) return "locking read";
    if (st.has(Flag::into_file)) return "SELECT INTO OUTFILE/DUMPFILE";
    if (st.has(Flag::user_var_assign)) return "assigns a user variable";
    if (st.flags.any(Flag::primary_function | Flag::user_lock | Flag::user_unlock | Flag::user_unlock_all))
        return "same-connection function";
    if (st.has(Flag::stored_function)) return "calls a stored function";
    switch (st.kind) {
        case Kind::write: return "write";
        case Kind::ddl: return "DDL";
        default: break;
    }
    if (st.verb == Verb::unknown) return "unknown statement";
    return std::string(to_string(st.verb));
}

// "read: db2", appended in place: `reason + ": " + name` builds two temporaries for every routed read.
std::string with_backend(std::string reason, std::string_view name) {
    reason.reserve(reason.size() + 2 + name.size());
    reason += ": ";
    reason += name;
    return reason;
}

class Router {
  public:
    Router(const Statement& st, const SessionState& s, const TopologyView& view, RouteState& rr)
        : st_(st), s_(s), view_(view), rr_(rr), placement_(effective_placement(st, s)) {}

    RoutePlan run() {
        std::optional<RoutePlan> plan = session_command();
        if (!plan) plan = locked();
        if (!plan) plan = transaction();
        if (!plan) plan = partner();
        if (!plan) plan = hint();
        if (!plan) plan = by_placement();
        plan->reason += note_;
        return std::move(*plan);  // a copy would allocate the reason again
    }

  private:
    std::optional<RoutePlan> session_command();
    std::optional<RoutePlan> locked();
    std::optional<RoutePlan> transaction();
    std::optional<RoutePlan> begin();
    std::optional<RoutePlan> partner();
    std::optional<RoutePlan> hint();
    RoutePlan by_placement();

    RoutePlan to_primary(std::string reason) const;
    RoutePlan to_backend(std::size_t i, std::string reason) const;
    RoutePlan to_named(std::string_view name, std::string reason) const;
    RoutePlan to_replica(std::string reason);

    const Statement& st_;
    const SessionState& s_;
    const TopologyView& view_;
    RouteState& rr_;
    Placement placement_;
    std::string note_;  // appended to the reason: hints that were ignored
};

RoutePlan Router::to_primary(std::string reason) const {
    RoutePlan p;
    p.target = Target::primary;
    p.backend = view_.primary();
    if (!p.backend) {
        p.error = RouteError::no_primary;
        reason += " (no primary)";
    }
    p.reason = std::move(reason);
    return p;
}

RoutePlan Router::to_backend(std::size_t i, std::string reason) const {
    RoutePlan p;
    p.target = view_.primary() == i ? Target::primary : Target::named;
    p.backend = i;
    p.reason = with_backend(std::move(reason), view_.backends[i].name);
    return p;
}

RoutePlan Router::to_named(std::string_view name, std::string reason) const {
    std::optional<std::size_t> i = view_.find(name);
    if (i && reachable(view_.backends[*i])) return to_backend(*i, std::move(reason));
    RoutePlan p;
    p.target = Target::named;
    p.error = RouteError::backend_unavailable;
    p.reason = std::move(reason) + ": " + std::string(name) + " is unavailable";
    return p;
}

RoutePlan Router::to_replica(std::string reason) {
    if (!view_.settings.read_write_split) return to_primary(std::move(reason));  // the split is off
    bool session_consistency = view_.settings.consistency == Consistency::session;
    if (session_consistency && s_.wrote && !s_.last_write_gtid)
        return to_primary(reason + "; read-your-writes without a GTID: primary");
    std::optional<std::size_t> i = choose_replica(view_, rr_);
    if (!i) {
        if (view_.settings.fallback == Fallback::primary)
            return to_primary(reason + "; no replica qualifies");
        RoutePlan p;
        p.target = Target::replica;
        p.error = RouteError::no_replica;
        p.reason = reason + "; no replica qualifies (fallback=error)";
        return p;
    }
    RoutePlan p;
    p.target = Target::replica;
    p.backend = i;
    p.reason = with_backend(std::move(reason), view_.backends[*i].name);
    if (session_consistency && s_.last_write_gtid) {
        p.needs_gtid_wait = true;
        p.wait_gtid = *s_.last_write_gtid;
        p.reason += " after GTID " + p.wait_gtid;
    }
    return p;
}

std::optional<RoutePlan> Router::session_command() {
    if (placement_ != Placement::all) return std::nullopt;
    RoutePlan p;
    p.target = Target::all;
    p.backend = view_.primary();
    if (!p.backend && s_.transaction_backend) p.backend = view_.find(*s_.transaction_backend);
    p.record_session_command = st_.has(Flag::replayable);
    p.reason = p.record_session_command ? "session command: all backends, recorded"
                                        : "session command: all backends";
    if (st_.hint.kind != HintKind::none) note_ = " (hint ignored: session command)";
    return p;
}

std::optional<RoutePlan> Router::locked() {
    if (st_.has(Flag::locks_session)) {
        RoutePlan p = to_primary("changes session state the primary alone will have; session locked to it");
        p.lock_to_primary = true;
        return p;
    }
    if (s_.locked_to_primary) return to_primary("session locked to the primary");
    if (s_.history.overflowed()) return to_primary("session-command history overflowed");
    if (s_.tables_locked) return to_primary("LOCK TABLES in force");
    return std::nullopt;
}

// BEGIN / START TRANSACTION. Inside a transaction it commits that one first: on its backend when the new one
// is read-only (or on the primary, which takes either kind); a read-write one always goes to the primary,
// leaving a read-only transaction on a replica to end with that connection's next statement.
std::optional<RoutePlan> Router::begin() {
    bool read_only = st_.read_only.value_or(s_.next_transaction_read_only || s_.session_read_only);
    RoutePlan p;
    if (read_only && s_.in_transaction && s_.transaction_backend) {
        p = to_named(*s_.transaction_backend, "read-only transaction on the open transaction's backend");
        if (p.backend && p.target != Target::primary) p.target = Target::replica;
    } else if (read_only && !s_.in_transaction) {
        p = to_replica("read-only transaction");
    } else {
        p = to_primary(read_only ? "read-only transaction inside a transaction" : "transaction");
    }
    p.pin_transaction = p.ok();
    if (st_.hint.kind != HintKind::none) note_ = " (hint ignored: transaction)";
    return p;
}

std::optional<RoutePlan> Router::transaction() {
    if (st_.verb == Verb::begin) return begin();
    if (!s_.in_transaction && s_.autocommit) return std::nullopt;
    if (st_.hint.kind != HintKind::none) note_ = " (hint ignored: inside a transaction)";
    const char* why = s_.in_transaction ? "inside a transaction" : "autocommit=0";
    if (!s_.transaction_backend) return to_primary(why);
    RoutePlan p = to_named(*s_.transaction_backend, std::string(why) + ", pinned");
    if (p.backend && p.target != Target::primary) p.target = Target::replica;
    return p;
}

std::optional<RoutePlan> Router::partner() {
    if (std::optional<std::string_view> b = s_.temporary_table_backend(st_))
        return to_named(*b, "temporary table");
    if (st_.has(Flag::found_rows)) {
        const std::optional<std::string>& b =
            s_.last_found_rows_target ? s_.last_found_rows_target : s_.last_backend;
        if (b) return to_named(*b, "FOUND_ROWS() after its SELECT");
        return to_primary("FOUND_ROWS() with no SELECT before it");
    }
    if (placement_ != Placement::primary) {
        for (const std::string& v : st_.vars_read) {
            auto it = s_.variable_backends.find(v);
            if (it != s_.variable_backends.end())
                return to_named(it->second, "reads " + v + ", set on one backend");
        }
    }
    if (placement_ == Placement::previous) {
        std::optional<std::size_t> i = s_.last_backend ? view_.find(*s_.last_backend) : std::nullopt;
        if (i && reachable(view_.backends[*i])) return to_backend(*i, "about the previous statement");
        return to_primary("about the previous statement, whose backend is gone");
    }
    return std::nullopt;
}

std::optional<RoutePlan> Router::hint() {
    const Hint& h = st_.hint;
    if (h.kind == HintKind::none) return std::nullopt;
    if (placement_ != Placement::replica_ok && placement_ != Placement::primary_by_default) {
        if (h.kind == HintKind::primary && placement_ == Placement::primary) return std::nullopt;  // agreed
        note_ = " (hint ignored: " + why_primary(st_) + " runs on the primary)";
        return std::nullopt;
    }
    switch (h.kind) {
        case HintKind::primary: return to_primary("hint primary");
        case HintKind::replica: return to_replica("hint replica");
        case HintKind::backend: {
            std::optional<std::size_t> i = view_.find(h.backend);
            const BackendView* b = i ? &view_.backends[*i] : nullptr;
            if (b && reachable(*b) && b->role != BackendRole::maintenance && b->role != BackendRole::draining)
                return to_backend(*i, "hint backend");
            note_ = " (hint ignored: backend " + h.backend + (b ? " is unavailable)" : " is unknown)");
            return std::nullopt;
        }
        case HintKind::invalid: note_ = " (invalid sluice hint ignored)"; return std::nullopt;
        case HintKind::none: break;
    }
    return std::nullopt;
}

RoutePlan Router::by_placement() {
    switch (placement_) {
        case Placement::replica_ok: return to_replica("read");
        case Placement::primary_by_default:
        case Placement::primary:
        case Placement::previous:
        case Placement::all: break;
    }
    return to_primary(why_primary(st_));
}

}  // namespace

RoutePlan route(const Statement& st, const SessionState& session, const TopologyView& view, RouteState& rr) {
    return Router(st, session, view, rr).run();
}

}  // namespace sluice::router
