// The admin console's views and controls against a real cluster: SET SERVER, SHOW SESSIONS, SHOW POOLS,
// SHOW QUERY DIGEST, PAUSE / RESUME, KILL SESSION.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "tests/integration/admin_support.hpp"
#include "tests/integration/cluster.hpp"
#include "tests/integration/routing_support.hpp"

using namespace sluice::test;
using Clock = std::chrono::steady_clock;

namespace {

// Two workers, so that SHOW POOLS has a known number of rows.
Sluice& ops_sluice() {
    static Sluice s(shared_cluster(), "limits:\n  workers: 2\n");
    return s;
}

ConnectOptions app_of(const Sluice& s) {
    return {.port = s.client_port(), .user = "app", .password = "app"};
}

std::optional<NamedRow> session_row(Conn& admin, unsigned long id) {
    for (auto& r : rows_of(admin, "SHOW SESSIONS"))
        if (r["id"] == std::to_string(id)) return r;
    return std::nullopt;
}

// A session publishes its state right after it has answered its client: a client that asks the admin port
// at once may be a moment ahead. Polls `pred` for up to a second.
template <class Pred>
bool eventually(Pred pred) {
    for (int i = 0; i < 50; ++i) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

}  // namespace

TEST_CASE("admin SET SERVER: maintenance and drain are shown and kept; ONLINE restores; errors are clear") {
    Sluice& s = ops_sluice();
    Conn a;
    connect_or_throw(a, {.port = s.admin_port(), .user = "admin", .password = "admin", .timeout_s = 60});
    REQUIRE(wait_role(a, "db1", "primary"));
    REQUIRE(wait_role(a, "db3", "replica"));
    REQUIRE(wait_role(a, "db2", "replica"));

    REQUIRE_OK(a.exec("SET SERVER db3 MAINTENANCE"));
    CHECK(std::string(mysql_info(a.raw()) ? mysql_info(a.raw()) : "") == "db3 is maintenance");
    CHECK(role_of(a, "db3") == "maintenance");  // published before the OK
    REQUIRE_OK(a.exec("set server db2 drain;"));
    CHECK(role_of(a, "db2") == "draining");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // three monitor ticks: it stays
    CHECK(role_of(a, "db3") == "maintenance");
    CHECK(role_of(a, "db2") == "draining");
    CHECK(role_of(a, "db1") == "primary");

    // The monitor does not promote a backend in maintenance (switchover refuses before touching anything).
    auto refused = a.exec("SWITCHOVER TO db3");
    REQUIRE(refused);
    CHECK(refused->code == 1105);
    CHECK(refused->message.find("db3 is in maintenance") != std::string::npos);
    CHECK(role_of(a, "db1") == "primary");

    // The primary cannot be taken out; an unknown server or state is named.
    auto primary = a.exec("SET SERVER db1 MAINTENANCE");
    REQUIRE(primary);
    CHECK(primary->code == 1105);
    CHECK(primary->sql_state == "HY000");
    CHECK(primary->message == "db1 is the primary: run SWITCHOVER first");
    auto unknown = a.exec("SET SERVER nosuch MAINTENANCE");
    REQUIRE(unknown);
    CHECK(unknown->code == 1105);
    CHECK(unknown->message == "no backend named 'nosuch'");
    auto state = a.exec("SET SERVER db2 OFFLINE");
    REQUIRE(state);
    CHECK(state->code == 1064);
    CHECK(state->message.find("unknown state 'OFFLINE'") != std::string::npos);

    // Writes still go to the primary.
    Conn client;
    connect_or_throw(client, app_of(s));
    CHECK(client.scalar("SELECT @@port") == std::to_string(shared_cluster().port(0)));

    REQUIRE_OK(a.exec("SET SERVER db3 ONLINE"));
    REQUIRE_OK(a.exec("SET SERVER db2 ONLINE"));
    CHECK(role_of(a, "db3") == "replica");
    CHECK(role_of(a, "db2") == "replica");
}

TEST_CASE("admin SET SERVER: no reads go to a replica in maintenance or draining") {
    Sluice& s = ops_sluice();
    Nodes nodes = install_whoami(shared_cluster());
    Conn a;
    connect_or_throw(a, {.port = s.admin_port(), .user = "admin", .password = "admin", .timeout_s = 60});
    REQUIRE(wait_role(a, "db3", "replica"));
    auto reads = [&](int n) {
        Conn c;
        connect_or_throw(c,
                         {.port = s.client_port(), .user = "app", .password = "app", .database = "t_route"});
        std::map<std::string, int> by_sid;
        for (int i = 0; i < n; ++i) ++by_sid[answered_by(c)];
        return by_sid;
    };
    {
        Conn c;
        connect_or_throw(c,
                         {.port = s.client_port(), .user = "app", .password = "app", .database = "t_route"});
        REQUIRE(wait_for_replica_reads(c, nodes));
    }
    REQUIRE_OK(a.exec("SET SERVER db3 MAINTENANCE"));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the workers' views follow the snapshot
    auto with_db3_out = reads(20);
    CHECK(with_db3_out.count(nodes.server_ids[2]) == 0);
    CHECK(with_db3_out[nodes.server_ids[1]] > 0);  // db2 takes the reads

    REQUIRE_OK(a.exec("SET SERVER db2 DRAIN"));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto both_out = reads(10);
    CHECK(both_out.count(nodes.server_ids[2]) == 0);
    CHECK(both_out.count(nodes.server_ids[1]) == 0);
    CHECK(both_out[nodes.primary()] == 10);  // routing.fallback: primary

    REQUIRE_OK(a.exec("SET SERVER db3 ONLINE"));
    REQUIRE_OK(a.exec("SET SERVER db2 ONLINE"));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto back = reads(20);
    CHECK(back[nodes.server_ids[1]] + back[nodes.server_ids[2]] > 0);
}

TEST_CASE("admin SHOW SESSIONS: user and address and the running statement with its age") {
    Sluice& s = ops_sluice();
    Conn a;
    connect_or_throw(a, admin_of(s));
    CHECK(columns_of(a, "SHOW SESSIONS") == std::vector<std::string>{"id", "worker", "client", "user", "db",
                                                                     "in_transaction", "backends",
                                                                     "statement", "statement_ms", "held"});
    Conn sleeper;
    connect_or_throw(sleeper, app_of(s));
    unsigned long id = mysql_thread_id(sleeper.raw());
    Conn in_trx;
    connect_or_throw(in_trx, app_of(s));
    REQUIRE_OK(in_trx.exec("BEGIN"));
    REQUIRE_OK(in_trx.exec("SELECT 1"));

    auto sleeping = std::async(std::launch::async, [&] { return sleeper.scalar("SELECT SLEEP(1.5)"); });
    std::optional<NamedRow> seen;
    for (int i = 0; i < 50 && !seen; ++i) {
        auto r = session_row(a, id);
        if (r && (*r)["statement"])
            seen = r;
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(seen);
    CHECK((*seen)["statement"] == "SELECT SLEEP(1.5)");
    CHECK((*seen)["user"] == "app");
    CHECK((*seen)["client"] == "127.0.0.1");
    CHECK((*seen)["backends"]->find("db1") != std::string::npos);  // the login's connection, to the primary
    CHECK((*seen)["in_transaction"] == "no");
    CHECK((*seen)["held"] == "no");
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    auto later = session_row(a, id);
    REQUIRE(later);
    REQUIRE((*later)["statement_ms"]);
    CHECK(std::stoi(*(*later)["statement_ms"]) >= 400);
    CHECK(sleeping.get() == "0");

    CHECK(eventually([&] {
        auto done = session_row(a, id);
        return done && !(*done)["statement"] && !(*done)["statement_ms"];
    }));
    auto trx_state = [&] { return session_row(a, mysql_thread_id(in_trx.raw())).value()["in_transaction"]; };
    CHECK(trx_state() == "yes");
    REQUIRE_OK(in_trx.exec("COMMIT"));
    CHECK(eventually([&] { return trx_state() == "no"; }));
}

TEST_CASE("admin SHOW POOLS: one row per worker and backend; connections move from in use to idle") {
    Sluice& s = ops_sluice();
    Conn a;
    connect_or_throw(a, admin_of(s));
    CHECK(columns_of(a, "SHOW POOLS") ==
          std::vector<std::string>{"worker", "backend", "idle", "in_use", "resetting", "opened", "resets"});
    auto sum = [&](const std::string& column) {
        std::uint64_t n = 0;
        for (auto& r : rows_of(a, "SHOW POOLS"))
            if (r["backend"] == "db1") n += std::stoull(*r[column]);
        return n;
    };
    CHECK(rows_of(a, "SHOW POOLS").size() == 6);  // 2 workers x 3 backends
    // Sessions of earlier tests give their connections back asynchronously: start from none in use.
    auto settle = [&] {
        for (int i = 0; i < 50 && sum("in_use") != 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return sum("in_use");
    };
    REQUIRE(settle() == 0);
    std::uint64_t opened_before = sum("opened");
    std::uint64_t in_use_before = 0;
    {
        Conn c1, c2;
        connect_or_throw(c1, app_of(s));
        connect_or_throw(c2, app_of(s));
        CHECK(c1.scalar("SELECT 1") == "1");
        CHECK(c2.scalar("SELECT 1") == "1");
        CHECK(sum("in_use") == in_use_before + 2);
        CHECK(sum("opened") >= opened_before);
    }
    // Closed clients give their connections back: reset, then idle.
    bool back = false;
    for (int i = 0; i < 50 && !back; ++i) {
        back = sum("in_use") == in_use_before && sum("idle") >= 2;
        if (!back) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(back);
    CHECK(sum("opened") >= 2);
}

TEST_CASE("admin SHOW QUERY DIGEST: fingerprints with counts and times and rows and backend") {
    Sluice& s = ops_sluice();
    Conn client;
    connect_or_throw(client, app_of(s));
    REQUIRE_OK(client.exec("CREATE DATABASE IF NOT EXISTS t_digest"));
    CHECK(client.scalar("SELECT 17 + 4") == "21");
    CHECK(client.scalar("select 2+2") == "4");
    CHECK(client.scalar("SELECT   5 + 1 -- comment") == "6");
    std::vector<Row> rows;
    REQUIRE_OK(
        client.exec("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN "
                    "('mysql', 'information_schema', 'nosuch')",
                    &rows));
    CHECK(rows.size() == 2);

    Conn a;
    connect_or_throw(a, admin_of(s));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // see eventually()
    CHECK(columns_of(a, "SHOW QUERY DIGEST") == std::vector<std::string>{"digest", "fingerprint", "backend",
                                                                         "count", "sum_us", "avg_us",
                                                                         "min_us", "max_us", "rows_sent"});
    std::optional<NamedRow> plus, in_list, create;
    std::uint64_t plus_count = 0, plus_rows = 0;
    for (auto& r : rows_of(a, "SHOW QUERY DIGEST")) {
        if (r["fingerprint"] == "SELECT ? + ?") {  // reads: one row per replica that served some
            plus = r;
            plus_count += std::stoull(*r["count"]);
            plus_rows += std::stoull(*r["rows_sent"]);
            CHECK((r["backend"] == "db2" || r["backend"] == "db3"));
        }
        if (r["fingerprint"] == "CREATE DATABASE IF NOT EXISTS t_digest") create = r;
        if (r["fingerprint"] ==
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (...)")
            in_list = r;
    }
    REQUIRE(plus);
    CHECK(plus_count >= 3);
    CHECK(plus_rows >= 3);
    REQUIRE(create);
    CHECK((*create)["backend"] == "db1");  // a write: the primary
    CHECK((*create)["rows_sent"] == "0");
    CHECK((*plus)["digest"]->rfind("0x", 0) == 0);
    CHECK((*plus)["digest"]->size() == 18);
    CHECK(std::stoull(*(*plus)["sum_us"]) >= std::stoull(*(*plus)["max_us"]));
    CHECK(std::stoull(*(*plus)["max_us"]) >= std::stoull(*(*plus)["min_us"]));
    REQUIRE(in_list);
    CHECK((*in_list)["count"] == "1");
    CHECK((*in_list)["rows_sent"] == "2");
    CHECK(rows_of(a, "SHOW QUERY DIGEST LIMIT 1").size() == 1);
}

TEST_CASE("admin PAUSE holds new statements until RESUME; running ones finish") {
    Sluice& s = ops_sluice();
    Conn a;
    connect_or_throw(a, admin_of(s));
    Conn running, held;
    connect_or_throw(running, app_of(s));
    connect_or_throw(held, app_of(s));

    auto in_flight = std::async(std::launch::async, [&] { return running.scalar("SELECT SLEEP(0.8)"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // it is at the backend
    REQUIRE_OK(a.exec("PAUSE"));
    auto paused_at = Clock::now();
    std::atomic<bool> answered{false};
    auto waiting = std::async(std::launch::async, [&] {
        std::string v = held.scalar("SELECT 1");
        answered = true;
        return v;
    });
    CHECK(in_flight.get() == "0");  // the running statement finished while paused
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    CHECK_FALSE(answered.load());
    auto row = session_row(a, mysql_thread_id(held.raw()));
    REQUIRE(row);
    CHECK((*row)["held"] == "yes");
    REQUIRE_OK(a.exec("RESUME"));
    CHECK(waiting.get() == "1");
    CHECK(Clock::now() - paused_at >= std::chrono::milliseconds(1000));
    CHECK(held.scalar("SELECT 2") == "2");  // and the session goes on
}

TEST_CASE("admin KILL SESSION closes that client connection") {
    Sluice& s = ops_sluice();
    Conn a;
    connect_or_throw(a, admin_of(s));
    Conn victim, bystander;
    connect_or_throw(victim, app_of(s));
    connect_or_throw(bystander, app_of(s));
    CHECK(victim.scalar("SELECT 1") == "1");
    unsigned long id = mysql_thread_id(victim.raw());
    REQUIRE(session_row(a, id));
    REQUIRE_OK(a.exec("KILL SESSION " + std::to_string(id)));
    std::optional<SqlError> e;
    for (int i = 0; i < 20 && !e; ++i) {  // the kill reaches the worker asynchronously
        e = victim.exec("SELECT 1");
        if (!e) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(e);
    INFO(describe(e));
    CHECK((e->code == 2013 || e->code == 2006 || e->code == 4031));
    CHECK_FALSE(session_row(a, id));
    CHECK(bystander.scalar("SELECT 1") == "1");

    auto unknown = a.exec("KILL SESSION 12345");
    REQUIRE(unknown);
    CHECK(unknown->code == 1094);
    CHECK(unknown->message == "Unknown session id: 12345");
}
