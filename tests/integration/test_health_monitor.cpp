// The monitor against real servers: roles, lag and positions as the servers report them; restarts and
// freezes that must not turn into failovers.

#include <signal.h>

#include <atomic>

#include "tests/integration/test_health_support.hpp"

using namespace sluice::test;
using namespace sluice::health;

TEST_CASE("the monitor sees the primary, the replicas, their lag and GTID positions") {
    HealthLog log;
    Cluster c(3);
    Conn primary;
    connect_or_throw(primary, c.app(0));
    REQUIRE_FALSE(primary.exec("CREATE TABLE sbtest.m (id INT PRIMARY KEY)"));
    REQUIRE_FALSE(primary.exec("INSERT INTO sbtest.m VALUES (1), (2)"));
    c.sync_replicas();

    Monitor m(backends_of(c), fast_settings());
    std::atomic<int> changes{0};  // the callback runs on the monitor thread, after the snapshot is out
    m.on_change([&](const std::shared_ptr<const Topology>&) { ++changes; });
    const auto start = Clock::now();
    m.start();
    auto t = wait_roles(m, "db1=primary db2=replica db3=replica");
    MESSAGE("first complete topology after " << seconds(Clock::now() - start) * 1000
                                             << " ms: " << describe(*t));
    CHECK(eventually([&] { return changes >= 1; }, 5s));
    CHECK(t->version >= 1);
    CHECK(t->warnings.empty());
    CHECK_FALSE(t->writes_paused);

    Conn root;
    connect_or_throw(root, c.root(0));
    const std::string pos = root.scalar("SELECT @@gtid_binlog_pos");
    t = m.wait_for(
        [&](const Topology& x) {
            for (const auto& b : x.backends)
                if (!b.status || b.status->gtid_current_pos.to_string() != pos) return false;
            return true;
        },
        10s);
    for (const auto& b : t->backends) {
        CAPTURE(b.spec.name);
        REQUIRE(b.status);
        CHECK(b.status->gtid_current_pos.to_string() == pos);
        CHECK(b.status->log_bin);
        CHECK(b.status->log_slave_updates);
        CHECK(b.latency.count() > 0);
    }
    CHECK(t->backends[0].status->server_id == 1);
    CHECK(t->backends[0].status->gtid_binlog_pos.to_string() == pos);
    CHECK_FALSE(t->backends[0].status->read_only);
    for (int i : {1, 2}) {
        const BackendState& r = t->backends[static_cast<std::size_t>(i)];
        CHECK(r.status->read_only);
        CHECK(r.master == 0u);
        CHECK(r.lag == 0);
        CHECK(r.status->gtid_slave_pos.to_string() == pos);
        REQUIRE(r.link(t->backends));
        CHECK(r.link(t->backends)->io_thread == IoThread::yes);
        CHECK(r.link(t->backends)->master_server_id == 1u);
    }
    MESSAGE("check latency: db1 " << t->backends[0].latency.count() << " us, db2 "
                                  << t->backends[1].latency.count() << " us, db3 "
                                  << t->backends[2].latency.count() << " us");

    // A delayed replica: Seconds_Behind_Master grows while it holds events back.
    Conn r3;
    connect_or_throw(r3, c.root(2));
    REQUIRE_FALSE(r3.exec("STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 30; START SLAVE"));
    REQUIRE_FALSE(primary.exec("INSERT INTO sbtest.m VALUES (3)"));
    t = m.wait_for([](const Topology& x) { return x.backends[2].lag.value_or(0) >= 2; }, 15s);
    CHECK(t->backends[2].lag.value_or(0) >= 2);
    CHECK(t->backends[2].role == Role::replica);
    MESSAGE("delayed replica: lag " << t->backends[2].lag.value_or(-1) << " s seen by the monitor");
    REQUIRE_FALSE(r3.exec("STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 0; START SLAVE"));

    // A replica whose SQL thread stops is no longer a replica, with a warning.
    REQUIRE_FALSE(r3.exec("STOP SLAVE SQL_THREAD"));
    wait_roles(m, "db1=primary db2=replica db3=unknown");
    CHECK(m.snapshot()->warnings.size() == 1);
    REQUIRE_FALSE(r3.exec("START SLAVE SQL_THREAD"));
    wait_roles(m, "db1=primary db2=replica db3=replica");
    CHECK(m.events().empty());
    m.stop();
}

TEST_CASE("a replica killed and restarted comes back as a replica by itself") {
    HealthLog log;
    Cluster c(3);
    Monitor m(backends_of(c), fast_settings());
    m.start();
    wait_roles(m, "db1=primary db2=replica db3=replica");
    c.kill_node(2, SIGKILL);
    wait_roles(m, "db1=primary db2=replica db3=down");
    Conn primary;
    connect_or_throw(primary, c.app(0));
    REQUIRE_FALSE(primary.exec("CREATE TABLE sbtest.g (id INT PRIMARY KEY)"));
    REQUIRE_FALSE(primary.exec("INSERT INTO sbtest.g VALUES (1)"));
    const auto restarted = Clock::now();
    c.start_node(2);
    auto t = wait_roles(m, "db1=primary db2=replica db3=replica");
    CHECK(t->backends[2].master == 0u);
    // Back in the read pool means a known lag (Seconds_Behind_Master is NULL until the IO thread connects).
    t = m.wait_for([](const Topology& x) { return x.backends[2].lag.has_value(); }, 20s);
    REQUIRE(t->backends[2].lag.has_value());
    CHECK(t->backends[2].role == Role::replica);
    MESSAGE("restarted replica: a replica again with lag " << *t->backends[2].lag << " s, "
                                                           << seconds(Clock::now() - restarted) * 1000
                                                           << " ms after its restart began");
    c.sync_replicas();
    Conn r3;
    connect_or_throw(r3, c.app(2));
    CHECK(r3.scalar("SELECT COUNT(*) FROM sbtest.g") == "1");
    CHECK(m.events().empty());  // nothing to do: it replicates again on its own
    m.stop();
}

TEST_CASE("no false failover: a primary frozen for less than failcount x interval") {
    HealthLog log;
    Cluster c(3);
    MonitorSettings s = fast_settings();
    s.failcount = 5;                   // 500 ms
    s.verify_primary_failure = false;  // only failcount stands between a hiccup and a failover here
    Monitor m(backends_of(c), s);
    m.start();
    wait_roles(m, "db1=primary db2=replica db3=replica");
    int worst = 0;
    for (int round = 0; round < 3; ++round) {
        c.kill_node(0, SIGSTOP);
        const auto frozen = Clock::now();
        while (Clock::now() - frozen < 200ms) {
            worst = std::max(worst, m.snapshot()->backends[0].failures);
            std::this_thread::sleep_for(5ms);
        }
        c.kill_node(0, SIGCONT);
        auto t = m.wait_for([](const Topology& x) { return x.backends[0].failures == 0; }, 10s);
        CHECK(t->backends[0].failures == 0);
    }
    MESSAGE("frozen 3 x 200 ms: at most " << worst << " failed checks in a row (failcount " << s.failcount
                                          << ")");
    CHECK(worst < s.failcount);
    std::this_thread::sleep_for(300ms);
    CHECK(primary_of(*m.snapshot()) == "db1");
    CHECK(m.events().empty());
    m.stop();
}

TEST_CASE("no false failover: the monitor locked out of the primary while the replicas still replicate") {
    HealthLog log;
    Cluster c(3);
    Monitor m(backends_of(c), fast_settings());
    m.start();
    wait_roles(m, "db1=primary db2=replica db3=replica");

    Conn root;
    connect_or_throw(root, c.root(0));
    REQUIRE_FALSE(root.exec("SET SESSION sql_log_bin = 0; ALTER USER monitor ACCOUNT LOCK"));
    std::vector<Row> ids;
    REQUIRE_FALSE(root.exec("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'monitor'", &ids));
    for (const Row& id : ids)
        (void)root.exec("KILL CONNECTION " + *id[0]);  // a locked account keeps old sessions

    auto t = m.wait_for([](const Topology& x) { return x.backends[0].failures >= 6; }, 10s);
    REQUIRE(t->backends[0].failures >= 6);
    MESSAGE("primary check error: " << t->backends[0].error_code << " " << t->backends[0].error);
    CHECK(t->backends[0].error_code == 4151);  // ER_ACCOUNT_HAS_BEEN_LOCKED
    CHECK(t->backends[0].role == Role::down);  // as far as the monitor can tell...
    CHECK(t->backends[1].role == Role::replica);
    CHECK(m.events().empty());  // ...but the replicas still stream from it: no failover
    CHECK(log.contains("backend=db1: the primary does not answer the monitor"));
    CHECK(log.contains(
        "but db2 still replicates from it (IO thread Yes): not failing over (verify_primary_failure)"));

    REQUIRE_FALSE(root.exec("SET SESSION sql_log_bin = 0; ALTER USER monitor ACCOUNT UNLOCK"));
    wait_roles(m, "db1=primary db2=replica db3=replica");
    CHECK(m.events().empty());
    m.stop();
}

TEST_CASE("a primary frozen longer than failcount x interval: the replicas decide") {
    HealthLog log;
    Cluster c(3, "--slave-net-timeout=2");
    MonitorSettings s = fast_settings();
    s.auto_failover = false;  // only the verdict is under test
    Monitor m(backends_of(c), s);
    m.start();
    wait_roles(m, "db1=primary db2=replica db3=replica");
    const auto frozen = Clock::now();
    c.kill_node(0, SIGSTOP);
    // The monitor gives up on it after failcount checks; the replicas only after slave_net_timeout.
    auto t = m.wait_for([](const Topology& x) { return x.backends[0].failures >= 3; }, 10s);
    REQUIRE(t->backends[0].failures >= 3);
    const double monitor_s = seconds(Clock::now() - frozen);
    CHECK(eventually([&] { return log.contains("the primary does not answer the monitor"); }, 5s));
    CHECK(eventually([&] { return log.contains("backend=db1: the primary is down"); }, 20s));
    const double replicas_s = seconds(Clock::now() - frozen);
    MESSAGE("frozen primary: the monitor gave up after "
            << monitor_s * 1000 << " ms, the replicas confirmed after " << replicas_s * 1000
            << " ms (slave_net_timeout 2 s)");
    auto refused = events_of(m, EventKind::failover_refused);
    REQUIRE(refused.size() == 1);  // auto_failover off: said once, not on every check
    CHECK(refused[0].reason.find("auto_failover is off") != std::string::npos);
    c.kill_node(0, SIGCONT);
    m.stop();
}
