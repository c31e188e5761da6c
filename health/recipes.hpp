#pragma once
// The SQL of failover, switchover and rejoin, as statement lists (see MARIADB-NOTES for why each is the way
// it is). Pure: unit-tested for the exact text.

#include <string>
#include <vector>

#include "health/backend_spec.hpp"
#include "health/server_status.hpp"

namespace sluice::health {

struct ReplicationSource {
    std::string host;
    std::uint16_t port = 0;
    std::string user;
    std::string password;
    // The source waits for semi-sync acknowledgements: the replica is set to send them
    // (rpl_semi_sync_slave_enabled) before its IO thread starts, the only moment the IO thread reads it, and
    // its own primary side is switched off (see semi_sync_primary_sql).
    bool semi_sync = false;
};

// STOP SLAVE IO_THREAD on one connection: the candidate keeps applying what it has already received.
std::vector<std::string> stop_io_sql(const std::string& connection);
// START SLAVE on one connection (undoing stop_io_sql when a failover is abandoned).
std::vector<std::string> start_slave_sql(const std::string& connection);
// The candidate becomes the primary: its replication from the old one is removed, writes allowed.
std::vector<std::string> promote_sql(const std::string& connection);
// The primary side of semi-sync, run on the candidate just before it is promoted, so that its very first
// writes are acknowledged only once a replica has them. Only once it applies nothing more: switched on at
// run time, it makes the replication SQL thread's next commit wait for acknowledgements from replicas of
// its own — none — for rpl_semi_sync_master_timeout (10 s by default). Its replica side
// (rpl_semi_sync_slave_enabled) is left as it is: unused while it replicates from nobody.
std::vector<std::string> semi_sync_primary_sql();
// Undoes semi_sync_primary_sql on a candidate that was not promoted after all and replicates again.
std::vector<std::string> semi_sync_primary_off_sql();
// A replica follows `source`: from its own gtid_slave_pos, retrying every second (not the default 60 s); with
// semi-sync acknowledgements when the source waits for them.
std::vector<std::string> change_master_sql(const std::string& connection, const ReplicationSource& source);
// A server that is not replicating from the primary (a former primary) becomes its replica: read-only first,
// every old replication connection removed, and its gtid_slave_pos set to its own binlog position (when it
// has a binlog), so that it asks the new primary only for what it lacks instead of the whole history.
std::vector<std::string> rejoin_sql(const ServerStatus& status, const ReplicationSource& source);

}  // namespace sluice::health
