#pragma once
// Failover and switchover planning: which replica takes over, who is re-pointed, or why nothing may happen.
// Pure (the `prepare` half of prepare/perform): a snapshot in, a plan or a refusal out, unit-tested on fake
// topologies.
//
// Candidate choice: among eligible replicas of the old primary (answering, not never_promote, log_bin and
// log_slave_updates on), the one whose position — gtid_current_pos with the received Gtid_IO_Pos — reaches
// every other replica's (sequence numbers per domain: the most advanced); equally advanced ones are ordered
// by priority (lower wins), then name. Refused: a candidate behind another replica (that replica's extra
// transactions would be lost and it could not replicate from the new primary in strict mode), or one with
// errant transactions (whole GTIDs the others do not have, from a server id that is not the old primary's).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "health/backend_spec.hpp"
#include "health/topology.hpp"

namespace sluice::health {

enum class RefusalCode : std::uint8_t {
    no_primary,           // nothing to fail over from
    primary_alive,        // the primary answers (manual failover without force; automatic: suspect only)
    unconfirmed,          // replicas still receive from the primary (verify_primary_failure)
    cooldown,             // failover_cooldown since the last failover
    no_candidate,         // no eligible replica
    unknown_target,       // the requested target is not a backend
    target_not_eligible,  // the requested target cannot be promoted (reason says why)
    behind,               // the candidate lacks transactions another replica has
    errant,               // the candidate has transactions the others lack
    failed,               // an I/O step failed (perform)
};

std::string_view to_string(RefusalCode c);

struct Refusal {
    RefusalCode code;
    std::string reason;
};

struct Plan {
    std::size_t old_primary = 0;
    std::size_t new_primary = 0;
    std::vector<std::size_t> repoint;  // replicas of the old primary other than the new one
    std::optional<std::uint32_t> old_primary_server_id;
};

using Prepared = std::variant<Plan, Refusal>;

struct FailoverRequest {
    std::optional<std::string> target;
    bool force = false;      // manual: fail over even though the primary answers (it is fenced first)
    bool automatic = false;  // decided by the monitor (cooldown applies)
    std::optional<std::chrono::milliseconds> since_last_failover;  // nullopt: never
};

// Why `b` cannot replace the primary at `primary`, or nullopt when it can.
[[nodiscard]] std::optional<std::string> ineligible(const Topology& t, std::size_t b, std::size_t primary);

// Replicas to re-point from `old_primary` to `new_primary`: live servers replicating from the old one
// (diverged ones excluded).
[[nodiscard]] std::vector<std::size_t> replicas_of(const Topology& t, std::size_t old_primary,
                                                   std::optional<std::size_t> except = {});

// Whether the cluster replicates semi-synchronously from `primary`: its last answer (kept while it is down)
// had rpl_semi_sync_master_enabled, or — when it never answered — one of its replicas reports
// Rpl_semi_sync_slave_status ON. A failover, switchover or rejoin then keeps it (monitor.semi_sync: auto).
[[nodiscard]] bool semi_sync_in_use(const Topology& t, std::size_t primary);

// The old primary's server id: from its last answer, else from what its replicas report (Master_Server_Id).
[[nodiscard]] std::optional<std::uint32_t> server_id_of(const Topology& t, std::size_t i);

// The whole GTIDs `candidate` has that `others` lack, ignoring the old primary's own (the candidate may have
// received some that others did not yet). A GTID counts as errant when another server has passed its
// sequence number without it, or when it is the candidate's own server id (a local write on a replica).
[[nodiscard]] std::vector<Gtid> errant_on(const BackendState& candidate,
                                          const std::vector<const BackendState*>& others,
                                          std::optional<std::uint32_t> old_primary_server_id);

// The best candidate to replace the primary at `old_primary` (or check `target`), with its checks.
// `excluded` are not candidates (e.g. replicas that could not apply their relay log in time) but still count
// when comparing positions.
[[nodiscard]] std::variant<std::size_t, Refusal> select_candidate(
    const Topology& t, std::size_t old_primary, const std::optional<std::string>& target,
    const std::vector<std::size_t>& excluded = {});

[[nodiscard]] Prepared prepare_failover(const Topology& t, const FailoverRequest& r,
                                        const MonitorSettings& s);
[[nodiscard]] Prepared prepare_switchover(const Topology& t, const std::optional<std::string>& target);

}  // namespace sluice::health
