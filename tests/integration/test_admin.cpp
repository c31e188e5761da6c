// The admin console on the admin port, with Connector/C and the real mariadb client.

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "tests/integration/admin_support.hpp"
#include "tests/integration/cluster.hpp"

using namespace sluice::test;

namespace {

Sluice& admin_sluice() {
    static Sluice s(shared_cluster());
    return s;
}

}  // namespace

TEST_CASE("admin console: only the admin account logs in, with MariaDB's wording") {
    Sluice& s = admin_sluice();
    Conn wrong;
    auto e = wrong.connect(admin_of(s, "admin", "nope"));
    REQUIRE(e);
    CHECK(e->code == 1045);
    CHECK(e->sql_state == "28000");
    CHECK(e->message == "Access denied for user 'admin'@'127.0.0.1' (using password: YES)");
    Conn app;
    e = app.connect(admin_of(s, "app", "app"));
    REQUIRE(e);
    CHECK(e->code == 1045);
    CHECK(e->message == "Access denied for user 'app'@'127.0.0.1' (using password: YES)");
    Conn ok;
    REQUIRE_OK(ok.connect(admin_of(s)));
    CHECK(mysql_ping(ok.raw()) == 0);
    CHECK(mysql_select_db(ok.raw(), "sluice") == 0);
}

TEST_CASE("admin console: start-up queries, SHOW VERSION, SHOW SERVERS, unknown commands") {
    Sluice& s = admin_sluice();
    Conn a;
    connect_or_throw(a, admin_of(s));
    CHECK(a.scalar("select @@version_comment limit 1") == "Sluice admin console");
    CHECK(a.scalar("SELECT DATABASE()") == "sluice");
    REQUIRE_OK(a.exec("SET NAMES utf8mb4"));
    CHECK_FALSE(a.scalar("SHOW VERSION;").empty());
    REQUIRE(wait_role(a, "db1", "primary"));
    auto servers = rows_of(a, "show servers");
    REQUIRE(servers.size() == 3);
    CHECK(servers[0]["role"] == "primary");
    CHECK(servers[0]["port"] == std::to_string(shared_cluster().port(0)));
    CHECK(servers[1]["role"] == "replica");
    CHECK(servers[2]["role"] == "replica");
    CHECK(servers[1]["replication"] == "IO:Yes SQL:Yes");
    CHECK(servers[1]["lag"] == "0");
    auto e = a.exec("SHOW PLUGINS");
    REQUIRE(e);
    CHECK(e->code == 1064);
    CHECK(e->sql_state == "42000");
    CHECK(e->message.find("Unknown admin command: 'SHOW PLUGINS'. Try: SHOW SERVERS") == 0);
    CHECK_FALSE(a.scalar("SHOW VERSION").empty());  // the session goes on after an error
}

TEST_CASE("admin console: SHOW STATS counts the statements of the client port") {
    Sluice& s = admin_sluice();
    Conn client;
    connect_or_throw(client, {.port = s.client_port(), .user = "app", .password = "app"});
    for (int i = 0; i < 5; ++i) CHECK(client.scalar("SELECT 1") == "1");
    Conn a;
    connect_or_throw(a, admin_of(s));
    std::map<std::string, std::string> stats;
    for (auto& r : rows_of(a, "SHOW STATS")) stats[*r["name"]] = *r["value"];
    CHECK(std::stoull(stats.at("statements")) >= 5);
    CHECK(std::stoull(stats.at("client_connections")) >= 1);
    CHECK(stats.count("latency_p99_us") == 1);
    auto config = rows_of(a, "SHOW CONFIG");
    bool masked = false;
    for (auto& r : config) masked = masked || (r["name"] == "admin.password" && r["value"] == "********");
    CHECK(masked);
}

TEST_CASE("admin console: the mariadb command-line client prints SHOW SERVERS as a table") {
    Sluice& s = admin_sluice();
    Conn a;
    connect_or_throw(a, admin_of(s));
    REQUIRE(wait_role(a, "db1", "primary"));
    auto r = run({"mariadb", "--no-defaults", "-h127.0.0.1", "-P" + std::to_string(s.admin_port()), "-uadmin",
                  "-padmin", "--table", "-e", "SHOW SERVERS"});
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK(r.output.find("| name ") != std::string::npos);
    CHECK(r.output.find("| db1  ") != std::string::npos);
    CHECK(r.output.find("primary") != std::string::npos);
    auto bad = run({"mariadb", "--no-defaults", "-h127.0.0.1", "-P" + std::to_string(s.admin_port()),
                    "-uadmin", "-pwrong", "-e", "SHOW SERVERS"});
    CHECK(bad.exit_code != 0);
    CHECK(bad.output.find("Access denied for user 'admin'@'127.0.0.1'") != std::string::npos);
}

TEST_CASE("admin console: SWITCHOVER TO db2 moves writes, and SHOW EVENTS records it") {
    Cluster c(3);
    Sluice s(c);
    Conn a;
    connect_or_throw(a, {.port = s.admin_port(), .user = "admin", .password = "admin", .timeout_s = 60});
    REQUIRE(wait_role(a, "db2", "replica"));
    REQUIRE(wait_role(a, "db1", "primary"));
    REQUIRE_OK(a.exec("SWITCHOVER TO db2"));
    CHECK(std::string(mysql_info(a.raw()) ? mysql_info(a.raw()) : "").size() > 0);
    auto servers = rows_of(a, "SHOW SERVERS");
    REQUIRE(servers.size() == 3);
    CHECK(servers[1]["role"] == "primary");

    Conn client;
    connect_or_throw(client, {.port = s.client_port(), .user = "app", .password = "app"});
    REQUIRE_OK(client.exec("CREATE DATABASE IF NOT EXISTS t_admin"));
    CHECK(client.scalar("SELECT @@port") == std::to_string(c.port(1)));

    auto events = rows_of(a, "SHOW EVENTS");
    bool found = false;
    for (auto& e : events)
        found = found || (e["kind"] == "switchover" && e["ok"] == "yes" && e["new_primary"] == "db2" &&
                          !e["steps"]->empty());
    CHECK(found);

    auto again = a.exec("SWITCHOVER TO nosuch");
    REQUIRE(again);
    CHECK(again->code == 1105);
}
