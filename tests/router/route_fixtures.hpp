#pragma once
// Named session states and topologies for the routing tables, and a one-line summary of a plan:
//   "<target> <backend|-> [error=...] [record] [pin] [lock] [wait=GTID]"

#include <chrono>
#include <string>

#include "router/classify.hpp"
#include "router/route.hpp"

namespace sluice::router::test {

enum class S {
    fresh,           // autocommit, no transaction
    autocommit_off,  // autocommit=0, nothing started yet
    in_trx,          // in a transaction not pinned (started before the router knew)
    trx_primary,     // in a transaction pinned to db1
    ro_trx_db3,      // in a READ ONLY transaction pinned to db3
    ro_trx_db2_ac0,  // autocommit=0, READ ONLY transaction pinned to db2
    temp_db1,        // database app, temporary table app.tmp on db1
    temp_db3,        // database app, temporary table app.tmp on db3 (created inside a read-only transaction)
    found_rows_db3,  // the last SQL_CALC_FOUND_ROWS ran on db3, the last statement on db1
    last_db3,        // the previous statement ran on db3
    last_db2,        // the previous statement ran on db2
    locked,          // locked to the primary
    tables_locked,   // LOCK TABLES in force
    overflowed,      // session-command history overflowed
    var_db1,         // @x was set on db1 only
    var_db3,         // @x was set on db3 only
    prepared,        // SQL prepared statements: rs (a read), ws (a write)
    wrote_gtid,      // wrote, last GTID 0-1-42
    wrote_no_gtid,   // wrote, no GTID known
    next_ro,         // SET TRANSACTION READ ONLY before
    session_ro,      // SET SESSION TRANSACTION READ ONLY before
};

enum class T {
    normal,          // db1 primary; db2 replica lag 0; db3 replica lag 1; nothing outstanding
    busy_db2,        // db2 has 5 outstanding, db3 1
    busy_db3,        // db3 has 3 outstanding, db2 0
    lag_db2,         // db2 100 s behind (limit 30 s)
    lag_all,         // both replicas 100 s behind
    lag_unknown,     // db2 lag unknown, db3 100 s behind
    replicas_down,   // db2 down, db3 unhealthy
    maintenance,     // db2 in maintenance, db3 draining
    fallback_error,  // lag_all with fallback=error
    no_primary,      // db1 down
    consistency,     // normal with consistency=session
    no_limit,        // no lag limit; db2 1000 s behind, db3 lag unknown
    db3_down,        // db3 down
};

inline SessionState session(S s) {
    SessionState st;
    switch (s) {
        case S::fresh: break;
        case S::autocommit_off: st.autocommit = false; break;
        case S::in_trx: st.in_transaction = true; break;
        case S::trx_primary:
            st.in_transaction = true;
            st.transaction_backend = "db1";
            break;
        case S::ro_trx_db3:
            st.in_transaction = true;
            st.transaction_read_only = true;
            st.transaction_backend = "db3";
            break;
        case S::ro_trx_db2_ac0:
            st.autocommit = false;
            st.in_transaction = true;
            st.transaction_read_only = true;
            st.transaction_backend = "db2";
            break;
        case S::temp_db1:
            st.database = "app";
            st.temporary_tables["app.tmp"] = "db1";
            break;
        case S::temp_db3:
            st.database = "app";
            st.temporary_tables["app.tmp"] = "db3";
            break;
        case S::found_rows_db3:
            st.last_found_rows_target = "db3";
            st.last_backend = "db1";
            break;
        case S::last_db3: st.last_backend = "db3"; break;
        case S::last_db2: st.last_backend = "db2"; break;
        case S::locked: st.locked_to_primary = true; break;
        case S::tables_locked: st.tables_locked = true; break;
        case S::overflowed:
            st.history = SessionHistory(1);
            st.history.record(classify("SET a = 1"));
            st.history.record(classify("SET b = 1"));
            break;
        case S::var_db1: st.variable_backends["@x"] = "db1"; break;
        case S::var_db3: st.variable_backends["@x"] = "db3"; break;
        case S::prepared:
            st.prepared["rs"] = true;
            st.prepared["ws"] = false;
            break;
        case S::wrote_gtid:
            st.wrote = true;
            st.last_write_gtid = "0-1-42";
            break;
        case S::wrote_no_gtid: st.wrote = true; break;
        case S::next_ro: st.next_transaction_read_only = true; break;
        case S::session_ro: st.session_read_only = true; break;
    }
    return st;
}

inline TopologyView topology(T t) {
    using std::chrono::seconds;
    TopologyView v;
    v.backends = {
        {"db1", BackendRole::primary, std::nullopt, 0, true},
        {"db2", BackendRole::replica, seconds{0}, 0, true},
        {"db3", BackendRole::replica, seconds{1}, 0, true},
    };
    BackendView& db1 = v.backends[0];
    BackendView& db2 = v.backends[1];
    BackendView& db3 = v.backends[2];
    switch (t) {
        case T::normal: break;
        case T::busy_db2:
            db2.outstanding = 5;
            db3.outstanding = 1;
            break;
        case T::busy_db3: db3.outstanding = 3; break;
        case T::lag_db2: db2.lag = seconds{100}; break;
        case T::lag_all:
        case T::fallback_error:
            db2.lag = seconds{100};
            db3.lag = seconds{100};
            if (t == T::fallback_error) v.settings.fallback = Fallback::error;
            break;
        case T::lag_unknown:
            db2.lag = std::nullopt;
            db3.lag = seconds{100};
            break;
        case T::replicas_down:
            db2.role = BackendRole::down;
            db2.healthy = false;
            db3.healthy = false;
            break;
        case T::maintenance:
            db2.role = BackendRole::maintenance;
            db3.role = BackendRole::draining;
            break;
        case T::no_primary:
            db1.role = BackendRole::down;
            db1.healthy = false;
            break;
        case T::consistency: v.settings.consistency = Consistency::session; break;
        case T::no_limit:
            v.settings.max_replication_lag = std::nullopt;
            db2.lag = seconds{1000};
            db3.lag = std::nullopt;
            break;
        case T::db3_down:
            db3.role = BackendRole::down;
            db3.healthy = false;
            break;
    }
    return v;
}

inline std::string summary(const RoutePlan& p, const TopologyView& v) {
    std::string out(to_string(p.target));
    out += ' ';
    out += p.backend ? v.backends[*p.backend].name : std::string("-");
    if (p.error != RouteError::none) out += " error=" + std::string(to_string(p.error));
    if (p.record_session_command) out += " record";
    if (p.pin_transaction) out += " pin";
    if (p.lock_to_primary) out += " lock";
    if (p.needs_gtid_wait) out += " wait=" + p.wait_gtid;
    return out;
}

}  // namespace sluice::router::test
