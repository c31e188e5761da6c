// What clients of Sluice see when backends die: a clear error fast, and service again as soon as there is a
// server to serve them.

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <thread>

#include "tests/integration/admin_support.hpp"
#include "tests/integration/cluster.hpp"

using namespace sluice::test;
using Clock = std::chrono::steady_clock;

TEST_CASE("backend SIGKILLed mid-query: ERR within 1 s, and the same session goes on once it is back") {
    Cluster c(1);
    Sluice s(c, "monitor:\n  user: monitor\n  password: monitor\n  auto_failover: false\n");
    Conn client;
    connect_or_throw(client, {.port = s.client_port(), .user = "app", .password = "app"});
    CHECK(client.scalar("SELECT 1") == "1");
    std::optional<SqlError> err;
    Clock::time_point killed{}, answered{};
    std::thread t([&] {
        err = client.exec("SELECT SLEEP(20)");
        answered = Clock::now();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    killed = Clock::now();
    c.kill_node(0, SIGKILL);
    t.join();
    REQUIRE(err);
    INFO(describe(err));
    CHECK(err->code == 1158);
    CHECK(err->sql_state == "08S01");
    CHECK(err->message.find("Lost connection to backend 'db1'") != std::string::npos);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(answered - killed).count();
    MESSAGE("client told after " << ms << " ms (the issue asks for under 1 s)");
    CHECK(ms < 5000);  // generous: a loaded CI machine must not turn this into a timing test

    c.start_node(0);
    CHECK(client.scalar("SELECT 'back'") == "back");
}

TEST_CASE(
    "no primary for longer than failover_hold_timeout: the write fails with 1429, the session goes on") {
    Cluster c(1);
    Sluice s(c,
             "monitor:\n  user: monitor\n  password: monitor\n  auto_failover: false\n  interval: 100ms\n"
             "  failover_hold_timeout: 1500ms\n");
    Conn client;
    connect_or_throw(client, {.port = s.client_port(), .user = "app", .password = "app"});
    REQUIRE_OK(client.exec("CREATE DATABASE IF NOT EXISTS t_hold"));
    REQUIRE_OK(client.exec("CREATE TABLE IF NOT EXISTS t_hold.t (id INT PRIMARY KEY)"));
    c.kill_node(0, SIGKILL);
    // Let Sluice see its idle connection close first: a statement written to it before that would be in
    // flight on a dead server (1158), which is another test's case.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    Clock::time_point start = Clock::now();
    auto err = client.exec("INSERT INTO t_hold.t VALUES (1)");
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    REQUIRE(err);
    INFO(describe(err));
    MESSAGE("the write was held " << ms << " ms, then: " << describe(err));
    CHECK(err->code == 1429);
    CHECK(ms >= 1000);  // it waited (the hold), rather than failing at once
    c.start_node(0);
    bool back = false;
    for (int i = 0; i < 100 && !back; ++i) {
        back = !client.exec("INSERT INTO t_hold.t VALUES (2)");
        if (!back) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(back);
    CHECK(client.scalar("SELECT COUNT(*) FROM t_hold.t WHERE id = 2") == "1");
}

TEST_CASE("no backend to be had: logins fail at once with a clear error, and retries back off") {
    std::string dir = make_temp_dir();
    int port = free_port();
    write_file(dir + "/s.yaml",
               "listen: {address: 127.0.0.1, port: " + std::to_string(port) +
                   "}\n"
                   "admin: {address: 127.0.0.1, port: " +
                   std::to_string(free_port()) +
                   ", password: x}\n"
                   "backends:\n  - {name: gone, host: 127.0.0.1, port: " +
                   std::to_string(free_port()) +
                   "}\n"
                   "monitor: {user: monitor, password: monitor, auto_failover: false}\n"
                   "users: {fetch_from_backends: false, list: [{name: app, password: app}]}\n");
    {
        Process p({sluice_binary(), "-c", dir + "/s.yaml"}, dir + "/log");
        REQUIRE(wait_port(port, std::chrono::seconds(10)));
        Conn first;
        auto e = first.connect({.port = port, .user = "app", .password = "app"});
        REQUIRE(e);
        CHECK(e->code == 1429);
        CHECK(e->message.find("Can't connect to backend 'gone'") != std::string::npos);
        Conn second;
        e = second.connect({.port = port, .user = "app", .password = "app"});
        REQUIRE(e);
        CHECK(e->code == 1429);
        CHECK(e->message.find("it failed recently") != std::string::npos);
        CHECK(p.stop(SIGTERM) == 0);
    }
    remove_tree(dir);
}

TEST_CASE(
    "primary SIGKILLed under a write loop through Sluice (semi-sync): writes go on, none acknowledged is "
    "lost") {
    // Semi-synchronous replication (AFTER_SYNC) on every server: a commit is acknowledged only once a replica
    // has it, which is what lets a failover keep every acknowledged write. With plain asynchronous
    // replication the last writes before a SIGKILL can be lost, whatever the proxy does.
    Cluster c(3,
              "--rpl-semi-sync-master-enabled=ON --rpl-semi-sync-slave-enabled=ON "
              "--rpl-semi-sync-master-wait-point=AFTER_SYNC");
    Sluice s(c,
             "monitor:\n  user: monitor\n  password: monitor\n  replication_user: repl\n"
             "  replication_password: repl\n  interval: 500ms\n  failcount: 3\n");
    Conn setup;
    connect_or_throw(setup, {.port = s.client_port(), .user = "app", .password = "app"});
    REQUIRE_OK(setup.exec("CREATE DATABASE IF NOT EXISTS t_fo"));
    REQUIRE_OK(setup.exec("CREATE OR REPLACE TABLE t_fo.w (id INT PRIMARY KEY, at TIMESTAMP(6))"));
    c.sync_replicas();
    Conn root;
    connect_or_throw(root, c.root(0));
    REQUIRE(root.scalar("SELECT @@rpl_semi_sync_master_enabled") == "1");
    REQUIRE(root.scalar("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                        "WHERE VARIABLE_NAME = 'Rpl_semi_sync_master_clients'") != "0");

    Conn writer;
    connect_or_throw(writer, {.port = s.client_port(), .user = "app", .password = "app", .timeout_s = 20});
    std::vector<int> acknowledged;
    int errors = 0;
    Clock::time_point killed{}, last_before{}, first_after{};
    for (int id = 1; id <= 100000; ++id) {
        if (id == 200) {
            killed = Clock::now();
            c.kill_node(0, SIGKILL);
        }
        auto e = writer.exec("INSERT INTO t_fo.w VALUES (" + std::to_string(id) + ", NOW(6))");
        if (e) {
            ++errors;
            MESSAGE("write " << id << " failed: " << describe(e));
            REQUIRE(errors < 5);
            continue;
        }
        acknowledged.push_back(id);
        if (id < 200) last_before = Clock::now();
        if (id >= 200 && first_after == Clock::time_point{}) first_after = Clock::now();
        if (id >= 200 && acknowledged.size() > 300) break;
    }
    auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(first_after - killed).count();
    MESSAGE("write gap after the kill: " << gap << " ms; errors seen by the writer: " << errors);
    CHECK(gap < 10000);  // failcount x interval + 2 s = 3.5 s is the goal; the figure is printed above
    CHECK(errors <= 1);  // at most the statement in flight on the dying primary
    // Every acknowledged write is on the new primary. (A write that failed may be there too: its outcome was
    // unknown to the client, which is what the error says.)
    Conn check;
    connect_or_throw(check, {.port = s.client_port(), .user = "app", .password = "app"});
    CHECK(check.scalar("SELECT @@port") != std::to_string(c.port(0)));
    std::vector<Row> rows;
    // A fresh session has written nothing, so a plain read could be served by a replica still catching up:
    // ask the primary.
    REQUIRE_OK(check.exec("/* sluice: primary */ SELECT id FROM t_fo.w", &rows));
    std::set<int> present;
    for (const Row& r : rows) present.insert(std::stoi(r.at(0).value_or("0")));
    int lost = 0;
    for (int id : acknowledged) lost += present.count(id) ? 0 : 1;
    MESSAGE(acknowledged.size() << " writes acknowledged, " << lost << " of them missing on the new primary");
    CHECK(lost == 0);
}

TEST_CASE(
    "a primary read-only for a moment (a switchover's first step): autocommit writes wait, none fails") {
    Cluster c(2);
    Sluice s(c, "monitor:\n  user: monitor\n  password: monitor\n  auto_failover: false\n");
    Conn writer;
    connect_or_throw(writer, {.port = s.client_port(), .user = "app", .password = "app"});
    REQUIRE_OK(writer.exec("CREATE DATABASE IF NOT EXISTS t_ro"));
    REQUIRE_OK(writer.exec("CREATE OR REPLACE TABLE t_ro.w (id INT PRIMARY KEY)"));
    Conn root;
    connect_or_throw(root, c.root(0));
    REQUIRE_OK(root.exec("SET GLOBAL read_only = 1"));
    std::thread lift([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        REQUIRE_OK(root.exec("SET GLOBAL read_only = 0"));
    });
    Clock::time_point start = Clock::now();
    auto err = writer.exec("INSERT INTO t_ro.w VALUES (1)");
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    lift.join();
    CHECK_FALSE(err);
    MESSAGE("the write refused as read-only ran again and succeeded after " << ms << " ms");
    // It was refused at least once and run again (not merely sent late, after the lift).
    Conn admin;
    connect_or_throw(admin, admin_of(s));
    std::uint64_t retries = 0;
    for (auto& r : rows_of(admin, "SHOW STATS"))
        if (r["name"] == "write_retries") retries = std::stoull(r["value"].value_or("0"));
    CHECK(retries >= 1);
    CHECK(writer.scalar("/* sluice: primary */ SELECT COUNT(*) FROM t_ro.w") == "1");
    // Inside a transaction nothing is repeated: the client gets the server's refusal.
    REQUIRE_OK(root.exec("SET GLOBAL read_only = 1"));
    REQUIRE_OK(writer.exec("BEGIN"));
    auto in_tx = writer.exec("INSERT INTO t_ro.w VALUES (2)");
    REQUIRE(in_tx);
    CHECK(in_tx->code == 1290);
    REQUIRE_OK(writer.exec("ROLLBACK"));
    REQUIRE_OK(root.exec("SET GLOBAL read_only = 0"));
}
