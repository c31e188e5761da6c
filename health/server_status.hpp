#pragma once
// What one successful check of a backend read: the variables that decide its role, its replication
// connections (SHOW ALL SLAVES STATUS) and semi-sync state. Plain values, filled by probe.cpp and by the
// unit tests' fake snapshots alike.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "health/gtid.hpp"

namespace sluice::health {

// Slave_IO_Running: "Yes", "Connecting" (lost the primary, retrying) or "No" (stopped or failed).
enum class IoThread : std::uint8_t { no, connecting, yes };

IoThread io_thread_from_string(std::string_view s);
std::string_view to_string(IoThread t);

// One row of SHOW ALL SLAVES STATUS.
struct SlaveStatus {
    std::string connection_name;  // "" for the default connection
    std::string master_host;
    std::uint16_t master_port = 0;
    std::optional<std::uint32_t> master_server_id;  // 0 from the server until it has connected once
    IoThread io_thread = IoThread::no;
    bool sql_running = false;
    std::optional<std::int64_t> seconds_behind;  // NULL while the IO thread is not connected
    GtidSet gtid_io_pos;                         // what the IO thread has received
    bool using_gtid = false;                     // Using_Gtid is Slave_Pos or Current_Pos
    unsigned last_io_errno = 0;
    std::string last_io_error;
    unsigned last_sql_errno = 0;
    std::string last_sql_error;

    bool operator==(const SlaveStatus&) const = default;
};

// Parses one row of SHOW ALL SLAVES STATUS given as column name -> value (NULL as nullopt). Missing or
// malformed essential columns give nullopt.
using RowMap = std::map<std::string, std::optional<std::string>, std::less<>>;
std::optional<SlaveStatus> slave_status_from_row(const RowMap& row);

struct ServerStatus {
    std::uint32_t server_id = 0;
    std::string version;
    bool read_only = false;
    bool log_bin = false;
    bool log_slave_updates = false;
    GtidSet gtid_current_pos;
    GtidSet gtid_binlog_pos;
    GtidSet gtid_slave_pos;
    GtidSet gtid_binlog_state;  // one GTID per (domain, server id): the summary of the whole binlog history
    std::vector<SlaveStatus> slaves;
    bool semi_sync_master_enabled = false;
    bool semi_sync_master_on = false;  // Rpl_semi_sync_master_status: waiting for replica acks right now
    bool semi_sync_slave_on = false;   // Rpl_semi_sync_slave_status

    // What this server's history holds, as a set to test whole GTIDs against: its binlog state and its
    // replication position (a replica without log_slave_updates has only the latter).
    GtidSet history() const;
    // The replication connection to host:port, if any.
    const SlaveStatus* slave_to(const std::string& host, std::uint16_t port) const;

    bool operator==(const ServerStatus&) const = default;
};

}  // namespace sluice::health
