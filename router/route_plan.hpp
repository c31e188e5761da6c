#pragma once
// What route() decides for one statement: plain data the proxy executes (and logs: `reason`).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "router/target.hpp"

namespace sluice::router {

enum class RouteError : std::uint8_t {
    none,
    no_primary,  // the statement needs the primary and there is none (the proxy may wait for failover)
    no_replica,  // fallback=error and no replica qualifies
    backend_unavailable,  // the session's transaction or temporary tables live on a backend that is gone
};

struct RoutePlan {
    Target target = Target::primary;
    // Index into TopologyView::backends of the backend to use; for Target::all, the one whose answer the
    // client gets (the primary when there is one). Empty when `error` is set, or for `all` without a primary.
    std::optional<std::size_t> backend;
    RouteError error = RouteError::none;

    bool record_session_command = false;  // on success, add the statement to the session-command history
    bool pin_transaction = false;  // it starts a transaction: keep the session on `backend` until it ends
    bool lock_to_primary = false;  // on success, the session uses only the primary from now on
    bool needs_gtid_wait = false;  // read-your-writes: MASTER_GTID_WAIT(wait_gtid) on `backend` first
    std::string wait_gtid;

    std::string reason;  // one line for logs and test messages

    bool ok() const { return error == RouteError::none; }
};

std::string_view to_string(RouteError e);

}  // namespace sluice::router
