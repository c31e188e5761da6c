#pragma once
// What the read/write-split tests share: which server answered a statement, and Sluice with routing on.
//
// Which server answered: `SELECT @@server_id` cannot tell for plain reads, because the router sends reads of
// variables that differ between servers (@@server_id, @@hostname, @@port, ...) to the primary on purpose
// (router/words.cpp, is_server_variable). So every node gets a table t_route.whoami holding its own server
// id, written with sql_log_bin=0 so that it does not replicate: `SELECT sid FROM t_route.whoami` is a read
// like any other, and its answer names the server that ran it. kWho embeds it in any SELECT as a column.

#include <map>
#include <string>
#include <vector>

#include "tests/integration/cluster.hpp"

namespace sluice::test {

inline constexpr const char* kWho = "(SELECT sid FROM t_route.whoami)";

// Options for the `routing:` section (issue #5); the defaults are the documented ones.
struct RoutingOptions {
    bool read_write_split = true;
    std::string max_replication_lag = "30s";
    std::string fallback = "primary";     // primary | error
    std::string consistency = "session";  // none | session | global
    std::string gtid_wait_timeout = "1s";
    std::string monitor_interval = "100ms";  // fresh lag figures for the router
    int failcount = 3;
};

// Extra YAML for Sluice(cluster, ...): a monitor section and the routing section.
std::string routing_yaml(const RoutingOptions& o = {});

// Who is who in a cluster, read over direct connections to each node.
struct Nodes {
    std::vector<std::string> server_ids;  // by node index
    std::string primary() const { return server_ids.at(0); }
    bool is_replica(const std::string& sid) const;
    int node_of(const std::string& sid) const;  // -1 when unknown
};

// Creates t_route.whoami on the primary, then gives every node its own row (outside the binlog). Call again
// after a node was replaced; harmless to repeat.
Nodes install_whoami(const Cluster& c);

// The server id that answered `SELECT <kWho>` (or the first column of `sql` when given).
std::string answered_by(Conn& c, const std::string& sql = "");

// Polls plain reads through `c` until one is answered by a replica (at most `tries` x 100 ms): Sluice needs
// its first topology snapshot (roles and lag) before it sends anything to a replica. False when none was.
bool wait_for_replica_reads(Conn& c, const Nodes& nodes, int tries = 150);

// The value of a global status counter on one node, read directly.
long long global_status(const Cluster& c, int node, const std::string& name);

// "db2 → 57, db3 → 43" from a count by server id.
std::string describe_split(const std::map<std::string, long long>& by_sid, const Nodes& nodes);

}  // namespace sluice::test

namespace sluice::test {

// The shared cluster with t_route.whoami, some tables to read, and one Sluice with the split on in front of
// it (routing_yaml()'s defaults). For the tests that do not disturb servers.
struct Routed {
    Sluice& sluice;
    const Nodes& nodes;
    ConnectOptions client(const std::string& db = "t_route") const {
        return {.port = sluice.client_port(), .user = "app", .password = "app", .database = db};
    }
};
// t_route.items (id AUTO_INCREMENT, v, sid, sid2): rows written through Sluice; t_route.fixed: 25 rows;
// t_route_other.o: 3 rows (x = 1, 2, 3). Created directly on the primary, replicated before returning.
Routed routed();

// A connection through routed()'s Sluice that has seen a read answered by a replica.
void connect_routed(Conn& c, const std::string& db = "t_route");

}  // namespace sluice::test
