#pragma once
// What the operator declared about each backend and about monitoring. The monitor derives roles from what the
// servers report; these are only the starting points and the promotion preferences.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace sluice::health {

struct BackendSpec {
    std::string name;
    std::string host;
    std::uint16_t port = 3306;
    int priority = 0;            // failover tie-break among equally advanced replicas: lower wins
    bool never_promote = false;  // never a failover or switchover candidate

    bool operator==(const BackendSpec&) const = default;
};

// What the monitor does about semi-synchronous replication when it changes who replicates from whom.
enum class SemiSync : std::uint8_t {
    automatic,  // when the old primary had rpl_semi_sync_master_enabled (or its replicas acknowledged
                // semi-synchronously), the promoted server gets it too and every replica it (re-)points or
                // rejoins gets rpl_semi_sync_slave_enabled before its IO thread starts
    off,        // never touches the semi-sync variables
};

struct MonitorSettings {
    std::string user;
    std::string password;
    std::chrono::milliseconds interval{500};
    std::chrono::milliseconds connect_timeout{1000};
    std::chrono::milliseconds read_timeout{1000};
    std::chrono::milliseconds write_timeout{1000};
    int failcount = 3;  // failed checks in a row before the primary counts as down
    bool auto_failover = true;
    bool verify_primary_failure = true;
    std::chrono::seconds failover_cooldown{60};
    std::string replication_user;  // used in CHANGE MASTER TO when re-pointing replicas
    std::string replication_password;
    bool auto_rejoin = true;  // fence a returning former primary and make it (or any stray server) a replica
                              // again when its history is contained in the primary's; never a diverged one
    std::chrono::milliseconds failover_timeout{
        10000};  // failover: time candidates get to apply their relay log
    std::chrono::milliseconds switchover_timeout{30000};  // switchover: time the target gets to catch up with
                                                          // the old primary before the switchover is undone
    std::chrono::milliseconds failover_hold_timeout{10000};  // the proxy holds writes this long while the
                                                             // primary is being replaced (writes_paused or
                                                             // failover_in_progress), then fails them
    SemiSync semi_sync = SemiSync::automatic;

    bool operator==(const MonitorSettings&) const = default;
};

}  // namespace sluice::health
