#include "health/recipes.hpp"

#include <fmt/format.h>

#include "health/sql_conn.hpp"

namespace sluice::health {

namespace {
// "" for the default connection (no name in the statement, as an operator would type it).
std::string named(const std::string& connection) {
    return connection.empty() ? "" : " " + quote(connection);
}
}  // namespace

std::vector<std::string> stop_io_sql(const std::string& connection) {
    return {fmt::format("STOP SLAVE{} IO_THREAD", named(connection))};
}

std::vector<std::string> start_slave_sql(const std::string& connection) {
    return {fmt::format("START SLAVE{}", named(connection))};
}

std::vector<std::string> promote_sql(const std::string& connection) {
    return {fmt::format("STOP SLAVE{}", named(connection)),
            fmt::format("RESET SLAVE{} ALL", named(connection)), "SET GLOBAL read_only = 0"};
}

std::vector<std::string> semi_sync_primary_sql() {
    return {"SET GLOBAL rpl_semi_sync_master_enabled = 1"};
}

std::vector<std::string> semi_sync_primary_off_sql() {
    return {"SET GLOBAL rpl_semi_sync_master_enabled = 0"};
}

std::vector<std::string> change_master_sql(const std::string& connection, const ReplicationSource& source) {
    std::vector<std::string> out{fmt::format("STOP SLAVE{}", named(connection))};
    // Set while the IO thread is stopped: a running one would go on without acknowledging until restarted.
    // The primary side off: a replica with it (a demoted primary) would hold its SQL thread's next commit
    // waiting for acknowledgements nobody sends (semi_sync_primary_sql).
    if (source.semi_sync) {
        out.push_back("SET GLOBAL rpl_semi_sync_master_enabled = 0");
        out.push_back("SET GLOBAL rpl_semi_sync_slave_enabled = 1");
    }
    out.push_back(fmt::format(
        "CHANGE MASTER{} TO MASTER_HOST = {}, MASTER_PORT = {}, MASTER_USER = {}, "
        "MASTER_PASSWORD = {}, MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1",
        named(connection), quote(source.host), source.port, quote(source.user), quote(source.password)));
    out.push_back(fmt::format("START SLAVE{}", named(connection)));
    return out;
}

std::vector<std::string> rejoin_sql(const ServerStatus& status, const ReplicationSource& source) {
    std::vector<std::string> out{"SET GLOBAL read_only = 1"};
    for (const SlaveStatus& s : status.slaves) {
        out.push_back(fmt::format("STOP SLAVE{}", named(s.connection_name)));
        out.push_back(fmt::format("RESET SLAVE{} ALL", named(s.connection_name)));
    }
    if (status.slaves.empty()) out.push_back("STOP SLAVE");  // harmless, and the recipe's order
    // Without log_slave_updates the binlog lacks what it replicated: its current position is the better
    // summary. Without a binlog its gtid_slave_pos is all there is.
    if (status.log_bin)
        out.push_back(status.log_slave_updates ? "SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos"
                                               : "SET GLOBAL gtid_slave_pos = @@gtid_current_pos");
    auto change = change_master_sql("", source);
    out.insert(out.end(), change.begin() + 1, change.end());  // already stopped
    return out;
}

}  // namespace sluice::health
