// The test cluster itself: what every later integration test relies on.

#include <doctest/doctest.h>

#include "tests/integration/cluster.hpp"

using namespace sluice::test;

TEST_CASE("the shared cluster replicates with GTID from the primary to every replica") {
    Cluster& c = shared_cluster();
    REQUIRE(c.size() == 3);
    Conn primary;
    connect_or_throw(primary, c.app(0));
    REQUIRE_FALSE(primary.exec("CREATE DATABASE IF NOT EXISTS t_cluster"));
    REQUIRE_FALSE(primary.exec("CREATE OR REPLACE TABLE t_cluster.r (id INT PRIMARY KEY, v VARCHAR(20))"));
    REQUIRE_FALSE(primary.exec("INSERT INTO t_cluster.r VALUES (1, 'ünïcode ✓')"));
    CHECK(primary.scalar("SELECT @@read_only") == "0");
    CHECK(primary.scalar("SELECT @@gtid_strict_mode") == "1");
    CHECK(primary.scalar("SELECT @@character_set_server") == "utf8mb4");
    c.sync_replicas();
    for (int i = 1; i < c.size(); ++i) {
        CAPTURE(i);
        Conn replica;
        connect_or_throw(replica, c.app(i));
        CHECK(replica.scalar("SELECT v FROM t_cluster.r WHERE id = 1") == "ünïcode ✓");
        CHECK(replica.scalar("SELECT @@read_only") == "1");
        Conn root;
        connect_or_throw(root, c.root(i));
        auto status = root.row_map("SHOW SLAVE STATUS");
        CHECK(status["Slave_IO_Running"] == "Yes");
        CHECK(status["Slave_SQL_Running"] == "Yes");
        CHECK(status["Using_Gtid"] == "Slave_Pos");
        CHECK(status["Master_Port"] == std::to_string(c.port(0)));
    }
}

TEST_CASE("the application account cannot write on a replica (1290), so it cannot make errant GTIDs") {
    Cluster& c = shared_cluster();
    Conn replica;
    connect_or_throw(replica, c.app(1));
    auto err = replica.exec("CREATE DATABASE t_errant");
    REQUIRE(err);
    CHECK(err->code == 1290);
    CHECK(err->sql_state == "HY000");
}

TEST_CASE("the monitor account can do what health checks, promotion and account reading need") {
    Cluster& c = shared_cluster();
    Conn replica;
    connect_or_throw(replica, c.monitor(1));
    CHECK_FALSE(replica.exec("SHOW ALL SLAVES STATUS"));
    CHECK_FALSE(replica.exec("SET GLOBAL read_only = 1"));  // needs READ_ONLY ADMIN; 1 is already the value
    CHECK(std::stoi(replica.scalar("SELECT COUNT(*) FROM mysql.global_priv WHERE User = 'app'")) == 1);
    CHECK_FALSE(replica.exec("SELECT @@gtid_current_pos, @@gtid_binlog_pos, @@gtid_slave_pos"));
}

TEST_CASE("install-time accounts are gone: no anonymous user, no password-less root over TCP") {
    Cluster& c = shared_cluster();
    Conn root_tcp;
    auto err = root_tcp.connect({.port = c.port(0), .user = "root"});
    REQUIRE(err);
    CHECK(err->code == 1045);
    Conn anon;
    err = anon.connect({.port = c.port(0), .user = "nobody"});
    REQUIRE(err);
    CHECK(err->code == 1045);
}
