#pragma once
// The read/write split: a pure function from a classified statement, the session's state and the cluster's
// state to a plan. The rules, first match wins (route.cpp has one function per rule):
//
//  1. Session commands (Placement::all: SET, USE, SET NAMES, PREPARE, ...) go to every backend the session
//     holds; replayable ones are recorded for new backends. Hints do not apply.
//  2. A session locked to the primary (a multi-statement or unreplayable SET changed its state there, the
//     history overflowed, LOCK TABLES is in force) stays there; so does a statement that locks it.
//  3. Transactions: BEGIN / START TRANSACTION go to the primary, READ ONLY ones (or after SET [SESSION]
//     TRANSACTION READ ONLY) to one replica chosen as for a read; either way the plan pins the transaction.
//     Inside a transaction, or with autocommit=0, everything goes where the transaction is pinned (the
//     primary when not pinned). Hints do not move statements out of a transaction.
//  4. Partners: a statement naming a temporary table goes where the table was created; FOUND_ROWS() where the
//     last SQL_CALC_FOUND_ROWS went (else with the previous statement); a statement reading a user variable
//     that exists on one backend only (set by SELECT @x := ..., INTO @x, CALL) goes there; SHOW WARNINGS and
//     friends go with the previous statement. A partner that is gone is an error (backend_unavailable),
//     except for the previous statement's diagnostics, which fall back to the primary. Hints do not apply:
//     the statement would fail (or answer wrongly) anywhere else.
//  5. Hints, for statements that may run elsewhere than the primary (Placement::replica_ok or
//     primary_by_default): `primary`; `replica` (chosen by score, lag limit applies, fallback applies);
//     `backend=NAME` (any reachable backend that is not in maintenance or draining; lag is not checked).
//     A hint on a write, a locking read, a same-connection function or a session command is ignored (the
//     reason says so): a hint can never send a write to a replica. An unknown or unusable backend name is
//     ignored too and normal routing applies.
//  6. Placement: primary / primary_by_default / unknown -> the primary. replica_ok -> the replica with the
//     fewest outstanding statements among healthy replicas whose lag is known and within
//     max_replication_lag; ties are broken round-robin (RouteState::round_robin, in configuration order). No
//     replica -> the primary (fallback=primary) or RouteError::no_replica (fallback=error).
//     consistency=session: after the session wrote, a replica read carries needs_gtid_wait with the GTID of
//     its last write; without a known GTID it goes to the primary.
//  Anything needing the primary when there is none yields RouteError::no_primary.

#include <cstdint>

#include "router/route_plan.hpp"
#include "router/session_state.hpp"
#include "router/statement.hpp"
#include "router/topology_view.hpp"

namespace sluice::router {

// The session's round-robin cursor: the only thing route() changes. Seed it with the session id so that
// sessions do not all start on the same replica.
struct RouteState {
    std::uint64_t round_robin = 0;
};

RoutePlan route(const Statement& st, const SessionState& session, const TopologyView& view, RouteState& rr);

}  // namespace sluice::router
