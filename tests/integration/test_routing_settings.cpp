// The routing: settings, each observed on real servers: read_write_split off, fallback when no replica
// qualifies (primary or error), and max_replication_lag.

#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <thread>

#include "tests/integration/routing_support.hpp"

using namespace sluice::test;

namespace {

void on_node(const Cluster& c, int node, const std::string& sql) {
    Conn root;
    connect_or_throw(root, c.root(node));
    REQUIRE_OK(root.exec(sql));
}

// Polls reads through `c` (at most 20 s) until `ok` accepts the server that answered one.
template <typename F>
bool eventually_read_on(Conn& c, F ok) {
    for (int i = 0; i < 200; ++i) {
        std::vector<Row> rows;
        if (!c.exec(std::string("SELECT ") + kWho, &rows) && !rows.empty() && ok(rows[0][0].value_or("")))
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

ConnectOptions client_of(const Sluice& s) {
    return {.port = s.client_port(), .user = "app", .password = "app"};
}

}  // namespace

TEST_CASE(
    "routing settings: read_write_split: false sends every read to the primary, whatever the fallback") {
    Routed r = routed();  // the shared cluster, with whoami
    RoutingOptions off;
    off.read_write_split = false;
    // With the split off no replica is a read target, which must not count as "no replica qualifies": with
    // `fallback: error` too, reads go to the primary (they once failed with ERR 1429).
    RoutingOptions off_error = off;
    off_error.fallback = "error";
    Sluice s(shared_cluster(), routing_yaml(off)), s_error(shared_cluster(), routing_yaml(off_error));
    Conn c, c_error;
    connect_or_throw(c, client_of(s));
    connect_or_throw(c_error, client_of(s_error));
    // Let the monitor check the replicas a few times first: with the split on, reads would go there by now.
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    for (Conn* conn : {&c, &c_error}) {
        std::map<std::string, long long> by;
        for (int i = 0; i < 20; ++i) ++by[answered_by(*conn)];
        MESSAGE("20 reads with read_write_split off, fallback "
                << std::string(conn == &c ? "primary" : "error") << ": " << describe_split(by, r.nodes));
        CHECK(by.size() == 1);
        CHECK(by.count(r.nodes.primary()) == 1);
    }
}

TEST_CASE(
    "routing settings: no replica qualifies: fallback primary reads on the primary, fallback error "
    "fails the read") {
    Cluster c(2);
    Nodes nodes = install_whoami(c);
    RoutingOptions to_error;
    to_error.fallback = "error";
    Sluice primary_fallback(c, routing_yaml()), error_fallback(c, routing_yaml(to_error));
    Conn a, b;
    connect_or_throw(a, client_of(primary_fallback));
    connect_or_throw(b, client_of(error_fallback));
    REQUIRE(wait_for_replica_reads(a, nodes));
    REQUIRE(wait_for_replica_reads(b, nodes));

    // A stopped replica shows no Seconds_Behind_Master: its lag is unknown, which disqualifies it.
    on_node(c, 1, "STOP SLAVE");
    CHECK(eventually_read_on(a, [&](const std::string& sid) { return sid == nodes.primary(); }));
    std::optional<SqlError> refused;
    for (int i = 0; i < 200 && !refused; ++i) {
        refused = b.exec(std::string("SELECT ") + kWho);
        if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE_MESSAGE(refused, "fallback=error: reads were still answered with the only replica stopped");
    MESSAGE("fallback=error, no replica: " << describe(refused));
    // What needs the primary still works on that Sluice.
    CHECK(b.scalar(std::string("/* sluice: primary */ SELECT ") + kWho) == nodes.primary());
    REQUIRE_OK(b.exec("CREATE TABLE t_route.fallback_write (i INT)"));

    on_node(c, 1, "START SLAVE");
    CHECK(eventually_read_on(a, [&](const std::string& sid) { return nodes.is_replica(sid); }));
    CHECK(eventually_read_on(b, [&](const std::string& sid) { return nodes.is_replica(sid); }));
}

TEST_CASE("routing settings: a replica further behind than max_replication_lag gets no reads") {
    Cluster c(3);
    Nodes nodes = install_whoami(c);
    on_node(c, 0, "CREATE TABLE t_route.beat (id INT AUTO_INCREMENT PRIMARY KEY, at TIMESTAMP(6))");
    c.sync_replicas();
    RoutingOptions o;
    o.max_replication_lag = "2s";
    Sluice s(c, routing_yaml(o));
    Conn client;
    connect_or_throw(client, client_of(s));
    REQUIRE(wait_for_replica_reads(client, nodes));

    // db3 applies everything 6 s late; a heartbeat on the primary gives it something to be late with.
    on_node(c, 2, "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 6; START SLAVE");
    std::atomic<bool> stop{false};
    std::thread beat([&] {
        Conn root;
        if (root.connect(c.root(0))) return;
        while (!stop) {
            (void)root.exec("INSERT INTO t_route.beat (at) VALUES (NOW(6))");
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    std::string lag;
    for (int i = 0; i < 200; ++i) {
        Conn root;
        connect_or_throw(root, c.root(2));
        lag = root.row_map("SHOW SLAVE STATUS")["Seconds_Behind_Master"].value_or("NULL");
        if (lag != "NULL" && std::stoi(lag) >= 4) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK_MESSAGE((lag != "NULL" && std::stoi(lag) >= 4), "db3's Seconds_Behind_Master: " << lag);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a few monitor checks see it

    std::map<std::string, long long> by;
    for (int i = 0; i < 20; ++i) ++by[answered_by(client)];
    MESSAGE("db3 " << lag << " s behind, max_replication_lag 2s: 20 reads → " << describe_split(by, nodes));
    CHECK(by.count(nodes.server_ids[2]) == 0);
    CHECK(by[nodes.server_ids[1]] == 20);

    stop = true;
    beat.join();
    on_node(c, 2, "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 0; START SLAVE");
    CHECK(eventually_read_on(client, [&](const std::string& sid) { return sid == nodes.server_ids[2]; }));
}
