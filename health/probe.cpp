#include "health/probe.hpp"

#include <charconv>

namespace sluice::health {

const char* const kProbeVariablesSql =
    "SELECT @@server_id AS server_id, @@version AS version, @@read_only AS read_only, @@log_bin AS log_bin, "
    "@@log_slave_updates AS log_slave_updates, @@gtid_current_pos AS gtid_current_pos, "
    "@@gtid_binlog_pos AS gtid_binlog_pos, @@gtid_slave_pos AS gtid_slave_pos, "
    "@@gtid_binlog_state AS gtid_binlog_state, @@rpl_semi_sync_master_enabled AS semi_sync_master_enabled, "
    "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
    "WHERE VARIABLE_NAME = 'RPL_SEMI_SYNC_MASTER_STATUS') AS semi_sync_master_status, "
    "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
    "WHERE VARIABLE_NAME = 'RPL_SEMI_SYNC_SLAVE_STATUS') AS semi_sync_slave_status";

namespace {

std::string value(const RowMap& row, std::string_view key) {
    auto it = row.find(key);
    return it == row.end() ? std::string() : it->second.value_or("");
}

bool flag(const RowMap& row, std::string_view key) {
    std::string v = value(row, key);
    return v == "1" || v == "ON";
}

bool gtids(const RowMap& row, std::string_view key, GtidSet& out, std::string& error) {
    auto set = GtidSet::parse(value(row, key));
    if (!set) {
        error = std::string(key) + " does not parse: '" + value(row, key) + "'";
        return false;
    }
    out = std::move(*set);
    return true;
}

}  // namespace

std::optional<ServerStatus> parse_server_status(const RowMap& vars, const std::vector<RowMap>& slaves,
                                                std::string& error) {
    ServerStatus s;
    std::string id = value(vars, "server_id");
    auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), s.server_id);
    if (ec != std::errc{} || end != id.data() + id.size()) {
        error = "server_id does not parse: '" + id + "'";
        return std::nullopt;
    }
    s.version = value(vars, "version");
    s.read_only = flag(vars, "read_only");
    s.log_bin = flag(vars, "log_bin");
    s.log_slave_updates = flag(vars, "log_slave_updates");
    if (!gtids(vars, "gtid_current_pos", s.gtid_current_pos, error) ||
        !gtids(vars, "gtid_binlog_pos", s.gtid_binlog_pos, error) ||
        !gtids(vars, "gtid_slave_pos", s.gtid_slave_pos, error) ||
        !gtids(vars, "gtid_binlog_state", s.gtid_binlog_state, error))
        return std::nullopt;
    s.semi_sync_master_enabled = flag(vars, "semi_sync_master_enabled");
    s.semi_sync_master_on = flag(vars, "semi_sync_master_status");
    s.semi_sync_slave_on = flag(vars, "semi_sync_slave_status");
    for (const RowMap& row : slaves) {
        auto link = slave_status_from_row(row);
        if (!link) {
            error = "a SHOW ALL SLAVES STATUS row does not parse";
            return std::nullopt;
        }
        s.slaves.push_back(std::move(*link));
    }
    return s;
}

ProbeResult probe_backend(SqlConn& conn, const BackendSpec& backend, const MonitorSettings& settings) {
    const auto start = std::chrono::steady_clock::now();
    ProbeResult r;
    auto fail = [&](SqlError e) {
        conn.close();  // the next check reconnects
        r.error = std::move(e);
        return r;
    };
    if (!conn.connected())
        if (auto e = conn.connect(backend, settings)) return fail(std::move(*e));
    std::vector<RowMap> vars, slaves;
    if (auto e = conn.query(kProbeVariablesSql, vars)) return fail(std::move(*e));
    if (vars.empty()) return fail({0, "the variables query returned no row"});
    if (auto e = conn.query("SHOW ALL SLAVES STATUS", slaves)) return fail(std::move(*e));
    std::string why;
    auto status = parse_server_status(vars.front(), slaves, why);
    if (!status) return fail({0, why});
    r.ok = true;
    r.status = std::move(*status);
    r.latency =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    return r;
}

}  // namespace sluice::health
