#include "tests/integration/routing_support.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace sluice::test {

std::string routing_yaml(const RoutingOptions& o) {
    return "monitor:\n  user: monitor\n  password: monitor\n  replication_user: repl\n"
           "  replication_password: repl\n  interval: " +
           o.monitor_interval + "\n  failcount: " + std::to_string(o.failcount) +
           "\nrouting:\n  read_write_split: " + (o.read_write_split ? "true" : "false") +
           "\n  max_replication_lag: " + o.max_replication_lag + "\n  fallback: " + o.fallback +
           "\n  consistency: " + o.consistency + "\n  gtid_wait_timeout: " + o.gtid_wait_timeout + "\n";
}

bool Nodes::is_replica(const std::string& sid) const {
    int n = node_of(sid);
    return n > 0;
}

int Nodes::node_of(const std::string& sid) const {
    auto it = std::find(server_ids.begin(), server_ids.end(), sid);
    return it == server_ids.end() ? -1 : static_cast<int>(it - server_ids.begin());
}

Nodes install_whoami(const Cluster& c) {
    {
        Conn primary;
        connect_or_throw(primary, c.root(0));
        if (auto e = primary.exec("CREATE DATABASE IF NOT EXISTS t_route"))
            throw std::runtime_error("CREATE DATABASE t_route: " + e->message);
        if (auto e = primary.exec("CREATE TABLE IF NOT EXISTS t_route.whoami (sid INT NOT NULL)"))
            throw std::runtime_error("CREATE TABLE t_route.whoami: " + e->message);
    }
    c.sync_replicas();
    Nodes nodes;
    for (int i = 0; i < c.size(); ++i) {
        Conn root;
        connect_or_throw(root, c.root(i));
        std::string sid = root.scalar("SELECT @@server_id");
        if (auto e = root.exec("SET SESSION sql_log_bin = 0; DELETE FROM t_route.whoami; "
                               "INSERT INTO t_route.whoami VALUES (@@server_id)"))
            throw std::runtime_error("whoami on node " + std::to_string(i) + ": " + e->message);
        nodes.server_ids.push_back(sid);
    }
    return nodes;
}

std::string answered_by(Conn& c, const std::string& sql) {
    return c.scalar(sql.empty() ? std::string("SELECT ") + kWho : sql);
}

bool wait_for_replica_reads(Conn& c, const Nodes& nodes, int tries) {
    for (int i = 0; i < tries; ++i) {
        std::vector<Row> rows;
        if (!c.exec(std::string("SELECT ") + kWho, &rows) && !rows.empty() &&
            nodes.is_replica(rows[0][0].value_or("")))
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

long long global_status(const Cluster& c, int node, const std::string& name) {
    Conn root;
    connect_or_throw(root, c.root(node));
    auto row = root.row_map("SHOW GLOBAL STATUS LIKE '" + name + "'");
    auto it = row.find("Value");
    if (it == row.end() || !it->second) throw std::runtime_error("no status variable " + name);
    return std::stoll(*it->second);
}

std::string describe_split(const std::map<std::string, long long>& by_sid, const Nodes& nodes) {
    std::string out;
    for (const auto& [sid, n] : by_sid) {
        int node = nodes.node_of(sid);
        if (!out.empty()) out += ", ";
        out += (node < 0 ? "server " + sid : "db" + std::to_string(node + 1)) +
               (node == 0 ? " (primary)" : "") + " → " + std::to_string(n);
    }
    return out.empty() ? "nothing" : out;
}

}  // namespace sluice::test

namespace sluice::test {

Routed routed() {
    static Nodes nodes = [] {
        Cluster& c = shared_cluster();
        Nodes n = install_whoami(c);
        Conn root;
        connect_or_throw(root, c.root(0));
        for (const char* sql :
             {"CREATE OR REPLACE TABLE t_route.items (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(50), "
              "sid INT, sid2 INT)",
              "CREATE OR REPLACE TABLE t_route.fixed (id INT PRIMARY KEY)", "USE t_route",
              "INSERT INTO t_route.fixed SELECT seq FROM seq_1_to_25",
              "CREATE DATABASE IF NOT EXISTS t_route_other",
              "CREATE OR REPLACE TABLE t_route_other.o (x INT PRIMARY KEY)",
              "INSERT INTO t_route_other.o VALUES (1), (2), (3)"})
            if (auto e = root.exec(sql)) throw std::runtime_error(std::string(sql) + ": " + e->message);
        c.sync_replicas();
        return n;
    }();
    static Sluice sluice(shared_cluster(), routing_yaml());
    return {sluice, nodes};
}

void connect_routed(Conn& c, const std::string& db) {
    Routed r = routed();
    connect_or_throw(c, r.client(db));
    if (!wait_for_replica_reads(c, r.nodes))
        throw std::runtime_error(
            "no plain read through Sluice reached a replica in 15 s (read/write split "
            "not wired, or no replica qualifies); reads went to server " +
            answered_by(c));
}

}  // namespace sluice::test
