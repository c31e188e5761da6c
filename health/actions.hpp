#pragma once
// The I/O half of failover, switchover and rejoin: runs statements on backends over fresh connections (all
// timeouts set), times each step and records it in an Event. The decisions are elsewhere (plan.hpp,
// rejoin_plan.hpp); the SQL text is in recipes.hpp.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "health/backend_spec.hpp"
#include "health/event.hpp"
#include "health/gtid.hpp"
#include "health/sql_conn.hpp"

namespace sluice::health {

class Actions {
  public:
    Actions(const MonitorSettings& settings, Event& event);

    // Runs `sql` in order on `b` as one step called `action`; stops at the first error. True when all ran.
    bool run(const BackendSpec& b, const std::string& action, const std::vector<std::string>& sql);
    // Reads one value (e.g. @@gtid_binlog_pos) as a step; nullopt on error.
    std::optional<std::string> read(const BackendSpec& b, const std::string& action, const std::string& sql);
    // Waits until `b` has applied everything its replication connection `connection` has received (its
    // gtid_slave_pos contains Gtid_IO_Pos, whole GTIDs) or `timeout`.
    bool wait_relay_applied(const BackendSpec& b, const std::string& connection,
                            std::chrono::milliseconds timeout);
    // Waits until `b` has applied `target` (MASTER_GTID_WAIT in short slices, then a whole-GTID check: a
    // diverged server passes MASTER_GTID_WAIT on sequence numbers alone) or `timeout`.
    bool wait_gtid(const BackendSpec& b, const GtidSet& target, std::chrono::milliseconds timeout);

  private:
    // The connection to `b`, connecting on first use; nullptr (and `error` set) when that fails.
    SqlConn* conn(const BackendSpec& b, SqlError& error);
    void step(const BackendSpec& b, const std::string& action, bool ok, const std::string& detail,
              std::chrono::steady_clock::time_point start);
    // One poll of the relay-log wait: nullopt while not done, true when done, false on error.
    std::optional<bool> relay_applied_once(SqlConn& c, const std::string& connection, std::string& detail);

    MonitorSettings settings_;  // the monitor's, with a longer read timeout (see the constructor)
    Event& event_;
    std::map<std::string, std::unique_ptr<SqlConn>> conns_;
};

}  // namespace sluice::health
