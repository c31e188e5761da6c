// Automatic failover against real servers: the primary killed, a replica promoted within
// failcount x interval + 2 s, the other replica re-pointed, nothing committed lost; the old primary fenced
// and rejoined when it returns — or marked diverged when it committed something nobody else has.

#include <signal.h>

#include "tests/integration/test_health_support.hpp"

using namespace sluice::test;
using namespace sluice::health;

namespace {

std::string slave_field(const Cluster& c, int node, const std::string& field) {
    Conn root;
    connect_or_throw(root, c.root(node));
    auto row = root.row_map("SHOW SLAVE STATUS");
    auto it = row.find(field);
    return it == row.end() ? "" : it->second.value_or("NULL");
}

// Kills node 0 and waits for the monitor to promote another; returns the snapshot and the time it took.
std::shared_ptr<const Topology> kill_primary_and_wait(Cluster& c, Monitor& m, double& took_s) {
    const auto killed = Clock::now();
    c.kill_node(0, SIGKILL);
    auto t =
        m.wait_for([](const Topology& x) { return !primary_of(x).empty() && primary_of(x) != "db1"; }, 20s);
    took_s = seconds(Clock::now() - killed);
    REQUIRE_MESSAGE(primary_of(*t) == "db2", "topology: " << describe(*t));
    return t;
}

}  // namespace

TEST_CASE(
    "the primary killed: a replica promoted, the other re-pointed, then the old primary fenced and "
    "rejoined") {
    HealthLog log;
    Cluster c(3, "--slave-net-timeout=2");
    Conn app;
    connect_or_throw(app, c.app(0));
    REQUIRE_FALSE(app.exec("CREATE TABLE sbtest.f (id INT PRIMARY KEY, v VARCHAR(20))"));
    REQUIRE_FALSE(app.exec("INSERT INTO sbtest.f VALUES (1, 'before the kill')"));
    c.sync_replicas();

    const MonitorSettings s = fast_settings();
    Monitor m(backends_of(c), s);
    m.start();
    wait_roles(m, "db1=primary db2=replica db3=replica");

    double took = 0;
    auto t = kill_primary_and_wait(c, m, took);
    const double bound = s.failcount * std::chrono::duration<double>(s.interval).count() + 2.0;
    MESSAGE("failover: new primary published " << took * 1000 << " ms after SIGKILL (bound " << bound * 1000
                                               << " ms)");
    CHECK(took < bound);
    t = wait_roles(m, "db1=down db2=primary db3=replica");
    CHECK(t->backends[2].master == 1u);

    auto failovers = events_of(m, EventKind::failover);
    REQUIRE(failovers.size() == 1);
    const Event& e = failovers[0];
    MESSAGE(describe(e));
    CHECK(e.ok);
    CHECK(e.old_primary == "db1");
    CHECK(e.new_primary == "db2");
    CHECK_FALSE(e.old_position.empty());
    CHECK_FALSE(e.new_position.empty());
    CHECK(e.steps.size() >= 6);  // stop IO x2, wait x2, promote, re-point
    for (const EventStep& step : e.steps)
        CHECK_MESSAGE(step.ok, step.backend << " " << step.action << ": " << step.detail);

    // Nothing committed on the old primary before the kill is lost; the new primary takes writes and db3 gets
    // them.
    Conn np;
    connect_or_throw(np, c.app(1));
    CHECK(np.scalar("SELECT v FROM sbtest.f WHERE id = 1") == "before the kill");
    CHECK(np.scalar("SELECT @@read_only") == "0");
    REQUIRE_FALSE(np.exec("INSERT INTO sbtest.f VALUES (2, 'after the failover')"));
    CHECK(eventually([&] { return slave_field(c, 2, "Slave_IO_Running") == "Yes"; }));
    CHECK(slave_field(c, 2, "Master_Port") == std::to_string(c.port(1)));
    CHECK(slave_field(c, 2, "Connect_Retry") == "1");
    Conn r3;
    connect_or_throw(r3, c.app(2));
    CHECK(eventually([&] { return r3.scalar("SELECT COUNT(*) FROM sbtest.f") == "2"; }, 10s));

    // The old primary comes back (writable, as it was started): fenced at once, then rejoined as a replica.
    const auto restarted = Clock::now();
    c.start_node(0);
    t = wait_roles(m, "db1=replica db2=primary db3=replica");
    MESSAGE("old primary rejoined " << seconds(Clock::now() - restarted) * 1000
                                    << " ms after its restart began");
    CHECK(t->backends[0].master == 1u);
    Conn old_root;
    connect_or_throw(old_root, c.root(0));
    CHECK(old_root.scalar("SELECT @@read_only") == "1");
    CHECK(eventually([&] { return slave_field(c, 0, "Slave_IO_Running") == "Yes"; }));
    Conn old_app;
    connect_or_throw(old_app, c.app(0));
    CHECK(eventually([&] { return old_app.scalar("SELECT COUNT(*) FROM sbtest.f") == "2"; }, 10s));
    CHECK(old_app.exec("INSERT INTO sbtest.f VALUES (3, 'x')")->code == 1290);
    auto fences = events_of(m, EventKind::fence);
    auto rejoins = events_of(m, EventKind::rejoin);
    REQUIRE(rejoins.size() == 1);
    CHECK(rejoins[0].ok);
    CHECK(rejoins[0].backend == "db1");
    CHECK(fences.size() <= 1);  // none when the rejoin came first in the same tick; never twice
    CHECK(events_of(m, EventKind::failover).size() == 1);
    m.stop();
}

TEST_CASE("a former primary that committed what nobody else has is marked diverged, never rejoined") {
    HealthLog log;
    Cluster c(3, "--slave-net-timeout=2");
    Conn app;
    connect_or_throw(app, c.app(0));
    REQUIRE_FALSE(app.exec("CREATE TABLE sbtest.d (id INT PRIMARY KEY)"));
    c.sync_replicas();
    Monitor m(backends_of(c), fast_settings());
    m.start();
    wait_roles(m, "db1=primary db2=replica db3=replica");
    double took = 0;
    kill_primary_and_wait(c, m, took);
    wait_roles(m, "db1=down db2=primary db3=replica");

    // The old primary comes back unreachable for the monitor (socket only) and commits a transaction of its
    // own, binlogged: a GTID from its server id that the new primary never received.
    c.start_node(0, "--skip-networking");
    std::string errant;
    {
        Conn root;
        connect_or_throw(root, c.root(0));
        REQUIRE_FALSE(root.exec("INSERT INTO sbtest.d VALUES (100)"));
        errant = root.scalar("SELECT @@gtid_binlog_pos");
    }
    Conn np;
    connect_or_throw(np, c.app(1));
    REQUIRE_FALSE(np.exec("INSERT INTO sbtest.d VALUES (1)"));  // the new primary moves on too
    {
        Conn root;
        connect_or_throw(root, c.root(1));
        MESSAGE("old primary committed " << errant << " on its own; the new primary is at "
                                         << root.scalar("SELECT @@gtid_binlog_pos"));
    }
    c.kill_node(0, SIGTERM);
    c.start_node(0);  // reachable again, writable as it was started

    auto t = wait_roles(m, "db1=diverged db2=primary db3=replica");
    CHECK(to_string(t->backends[0].errant) == errant);
    Conn old_root;
    connect_or_throw(old_root, c.root(0));
    CHECK(old_root.scalar("SELECT @@read_only") == "1");  // fenced
    std::vector<Row> rows;
    REQUIRE_FALSE(old_root.exec("SHOW SLAVE STATUS", &rows));
    CHECK(rows.empty());  // and left alone
    auto diverged = events_of(m, EventKind::diverged);
    REQUIRE(diverged.size() == 1);
    MESSAGE(describe(diverged[0]));
    CHECK(diverged[0].backend == "db1");
    CHECK(diverged[0].reason.find(errant) != std::string::npos);
    CHECK(events_of(m, EventKind::fence).size() == 1);
    CHECK(log.contains("backend=db1: a former primary answers again, writable"));

    // Still diverged a while later, and a manual rejoin is refused with the reason.
    std::this_thread::sleep_for(1s);
    CHECK(role_of(*m.snapshot(), "db1") == Role::diverged);
    CHECK(events_of(m, EventKind::rejoin).empty());
    OperationResult r = m.rejoin("db1");
    CHECK_FALSE(r.ok);
    CHECK(r.message.find("diverged") != std::string::npos);
    CHECK(r.message.find(errant) != std::string::npos);
    m.stop();
}

TEST_CASE(
    "a replica with an errant transaction is not promoted: the failover is refused, once, with the reason") {
    HealthLog log;
    Cluster c(3, "--slave-net-timeout=2");
    Conn app;
    connect_or_throw(app, c.app(0));
    REQUIRE_FALSE(app.exec("CREATE TABLE sbtest.e (id INT PRIMARY KEY)"));
    c.sync_replicas();
    std::string errant;
    {
        // root bypasses read_only: a local, binlogged write on a replica, as an "ALL" application user could
        // do.
        Conn root;
        connect_or_throw(root, c.root(1));
        REQUIRE_FALSE(root.exec("INSERT INTO sbtest.e VALUES (99)"));
        errant = root.scalar("SELECT @@gtid_binlog_pos");
    }
    Monitor m(backends_of(c), fast_settings());
    m.start();
    wait_roles(m, "db1=primary db2=replica db3=replica");
    c.kill_node(0, SIGKILL);
    CHECK(eventually([&] { return !events_of(m, EventKind::failover_refused).empty(); }, 10s));
    std::this_thread::sleep_for(1s);  // many more checks: still one event, no failover
    auto refused = events_of(m, EventKind::failover_refused);
    REQUIRE(refused.size() == 1);
    MESSAGE(describe(refused[0]));
    CHECK(refused[0].reason == "errant: db2 has errant transactions the other servers lack: " + errant);
    CHECK(events_of(m, EventKind::failover).empty());
    auto t = m.snapshot();
    CHECK(primary_of(*t).empty());
    CHECK(role_of(*t, "db1") == Role::down);
    CHECK(log.contains("backend=db1: the primary is down"));

    // db3 has everything db1 sent, but db2 is ahead of it by its own write: promoting db3 is refused too.
    OperationResult r = m.failover("db3");
    MESSAGE(r.message);
    CHECK_FALSE(r.ok);
    CHECK(r.message.starts_with("failover refused (behind): db3 "));
    m.stop();
}

TEST_CASE("a replica that was down during the failover follows the new primary when it returns") {
    HealthLog log;
    Cluster c(3, "--slave-net-timeout=2");
    Monitor m(backends_of(c), fast_settings());
    m.start();
    wait_roles(m, "db1=primary db2=replica db3=replica");
    c.kill_node(2, SIGKILL);
    wait_roles(m, "db1=primary db2=replica db3=down");
    double took = 0;
    kill_primary_and_wait(c, m, took);
    wait_roles(m, "db1=down db2=primary db3=down");
    Conn np;
    connect_or_throw(np, c.app(1));
    REQUIRE_FALSE(np.exec("CREATE TABLE sbtest.late (id INT PRIMARY KEY)"));
    REQUIRE_FALSE(np.exec("INSERT INTO sbtest.late VALUES (1)"));

    c.start_node(2);  // still configured to replicate from the dead db1
    auto t = wait_roles(m, "db1=down db2=primary db3=replica");
    CHECK(t->backends[2].master == 1u);
    auto rejoins = events_of(m, EventKind::rejoin);
    REQUIRE(rejoins.size() == 1);
    CHECK(rejoins[0].backend == "db3");
    Conn r3;
    connect_or_throw(r3, c.app(2));
    CHECK(eventually(
        [&] {
            std::vector<Row> rows;
            return !r3.exec("SELECT COUNT(*) FROM sbtest.late", &rows) && rows.size() == 1 &&
                   rows[0][0] == "1";
        },
        10s));
    m.stop();
}

TEST_CASE("a primary already dead when the monitor starts is found from its replicas and failed over") {
    HealthLog log;
    Cluster c(3, "--slave-net-timeout=2");
    Conn app;
    connect_or_throw(app, c.app(0));
    REQUIRE_FALSE(app.exec("CREATE TABLE sbtest.early (id INT PRIMARY KEY)"));
    c.sync_replicas();
    c.kill_node(0, SIGKILL);
    Monitor m(backends_of(c), fast_settings());
    m.start();
    auto t = wait_roles(m, "db1=down db2=primary db3=replica");
    CHECK_FALSE(t->backends[0].status);  // never seen
    auto failovers = events_of(m, EventKind::failover);
    REQUIRE(failovers.size() == 1);
    CHECK(failovers[0].ok);
    CHECK(failovers[0].old_primary == "db1");
    CHECK(failovers[0].old_position.empty());
    m.stop();
}
