// Planned switchover under a write load: the writer follows the topology (writing directly to whichever
// server it says is the primary, holding while writes are paused) and no acknowledged row is lost. Manual
// failover and rejoin through the same API.

#include <atomic>
#include <mutex>
#include <set>

#include "tests/integration/test_health_support.hpp"

using namespace sluice::test;
using namespace sluice::health;

namespace {

// Inserts ids 1, 2, 3... into sbtest.w on the primary of the latest snapshot, each retried until
// acknowledged; measures the longest gap between two acknowledgements.
class Writer {
  public:
    Writer(const Cluster& c, const Monitor& m) : cluster_(c), monitor_(m), thread_([this] { run(); }) {}
    ~Writer() { stop(); }

    void stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    std::set<int> acked() {
        std::lock_guard lock(mu_);
        return acked_;
    }
    double longest_gap_ms() const { return longest_gap_ms_; }
    int refused() const { return refused_; }
    int held() const { return held_; }

  private:
    void run() {
        int next = 1;
        std::string on;  // the server `conn` is connected to
        std::unique_ptr<Conn> conn;
        auto last_ack = Clock::now();
        while (!stop_) {
            auto t = monitor_.snapshot();
            const std::string primary = primary_of(*t);
            if (t->writes_paused || t->failover_in_progress || primary.empty()) {
                ++held_;
                std::this_thread::sleep_for(2ms);
                continue;
            }
            if (primary != on || !conn) {
                conn = std::make_unique<Conn>();
                const int node = std::stoi(primary.substr(2)) - 1;
                if (conn->connect(cluster_.app(node))) {
                    conn.reset();
                    continue;
                }
                on = primary;
            }
            auto err = conn->exec("INSERT INTO sbtest.w VALUES (" + std::to_string(next) + ", '" + on + "')");
            if (err && err->code != 1062) {  // 1062: committed, but the acknowledgement was lost earlier
                if (err->code == 1290)
                    ++refused_;  // read_only: not committed, tried again
                else
                    conn.reset();
                std::this_thread::sleep_for(1ms);
                continue;
            }
            const auto now = Clock::now();
            longest_gap_ms_ = std::max(longest_gap_ms_.load(), seconds(now - last_ack) * 1000);
            last_ack = now;
            std::lock_guard lock(mu_);
            acked_.insert(next++);
        }
    }

    const Cluster& cluster_;
    const Monitor& monitor_;
    std::atomic<bool> stop_{false};
    std::atomic<double> longest_gap_ms_{0};
    std::atomic<int> refused_{0};
    std::atomic<int> held_{0};
    std::mutex mu_;
    std::set<int> acked_;
    std::thread thread_;
};

std::set<int> ids_on(const Cluster& c, int node) {
    Conn conn;
    connect_or_throw(conn, c.app(node));
    std::vector<Row> rows;
    if (auto e = conn.exec("SELECT id FROM sbtest.w", &rows)) throw std::runtime_error(e->message);
    std::set<int> out;
    for (const Row& r : rows) out.insert(std::stoi(*r[0]));
    return out;
}

}  // namespace

TEST_CASE("switchover under a write loop loses nothing, and back again") {
    HealthLog log;
    Cluster c(3);
    Conn app;
    connect_or_throw(app, c.app(0));
    REQUIRE_FALSE(app.exec("CREATE TABLE sbtest.w (id INT PRIMARY KEY, node VARCHAR(8))"));
    c.sync_replicas();
    Monitor m(backends_of(c), fast_settings());
    m.start();
    wait_roles(m, "db1=primary db2=replica db3=replica");

    Writer w(c, m);
    std::this_thread::sleep_for(700ms);
    const std::size_t before = w.acked().size();
    OperationResult r = m.switchover();
    MESSAGE(r.message);
    REQUIRE(r.ok);
    const std::string first = primary_of(*m.snapshot());
    CHECK((first == "db2" || first == "db3"));  // the replica closest to the primary at that moment
    std::this_thread::sleep_for(700ms);
    OperationResult back = m.switchover("db1");
    MESSAGE(back.message);
    REQUIRE(back.ok);
    std::this_thread::sleep_for(700ms);
    w.stop();
    MESSAGE("writer: " << w.acked().size() << " rows acknowledged (" << before
                       << " before the first switchover), " << w.refused()
                       << " refused with 1290 and retried, held " << w.held()
                       << " times; longest gap between two acknowledgements " << w.longest_gap_ms() << " ms");
    CHECK(w.acked().size() > before);

    auto t = wait_roles(m, "db1=primary db2=replica db3=replica");
    c.sync_replicas();
    for (int node = 0; node < 3; ++node) {
        CAPTURE(node);
        std::set<int> have = ids_on(c, node);
        std::set<int> acked = w.acked();
        std::vector<int> lost;
        std::set_difference(acked.begin(), acked.end(), have.begin(), have.end(), std::back_inserter(lost));
        CHECK_MESSAGE(lost.empty(), lost.size() << " acknowledged rows missing, the first " << lost.front());
        CHECK(have.size() >= acked.size());  // at most the rows whose acknowledgement was lost in flight
    }
    auto switchovers = events_of(m, EventKind::switchover);
    REQUIRE(switchovers.size() == 2);
    for (const Event& e : switchovers) {
        MESSAGE(describe(e));
        CHECK(e.ok);
        CHECK(e.writes_paused.count() > 0);
        CHECK_FALSE(e.old_position.empty());
    }
    CHECK(switchovers[0].old_primary == "db1");
    CHECK(switchovers[0].new_primary == first);
    CHECK(switchovers[1].new_primary == "db1");
    CHECK(events_of(m, EventKind::failover).empty());
    m.stop();
}

TEST_CASE("manual failover is refused while the primary answers, unless forced; rejoin and refusals") {
    HealthLog log;
    Cluster c(3);
    Monitor m(backends_of(c), fast_settings());
    m.start();
    wait_roles(m, "db1=primary db2=replica db3=replica");

    OperationResult r = m.failover();
    CHECK_FALSE(r.ok);
    CHECK(r.message == "failover refused (primary_alive): db1 is healthy: use switchover, or force");
    CHECK_FALSE(m.switchover("db9").ok);
    CHECK(m.switchover("db1").message == "switchover refused (target_not_eligible): db1 is the primary");
    CHECK(m.rejoin("db2").ok);  // already a replica: nothing to do
    CHECK(m.rejoin("nope").message == "no backend is called 'nope'");
    CHECK(m.events().empty());

    r = m.failover("db3", true);
    MESSAGE(r.message);
    REQUIRE(r.ok);
    // The old primary was fenced first, then (auto_rejoin) made a replica of the new one.
    auto t = wait_roles(m, "db1=replica db2=replica db3=primary");
    CHECK(t->backends[0].master == 2u);
    CHECK(t->backends[1].master == 2u);
    Conn old_root;
    connect_or_throw(old_root, c.root(0));
    CHECK(old_root.scalar("SELECT @@read_only") == "1");
    auto failovers = events_of(m, EventKind::failover);
    REQUIRE(failovers.size() == 1);
    CHECK(failovers[0].reason == "manual, forced");
    CHECK(events_of(m, EventKind::rejoin).size() == 1);
    m.stop();
    CHECK(m.failover().message == "the monitor is not running");
}

TEST_CASE("semi_sync off: a switchover leaves the semi-sync variables as they are") {
    HealthLog log;
    Cluster c(3);
    {
        Conn p;
        connect_or_throw(p, c.root(0));
        REQUIRE_FALSE(p.exec("SET GLOBAL rpl_semi_sync_master_enabled = 1"));
    }
    MonitorSettings s = fast_settings();
    s.semi_sync = SemiSync::off;
    Monitor m(backends_of(c), s);
    m.start();
    wait_roles(m, "db1=primary db2=replica db3=replica");
    OperationResult r = m.switchover("db2");
    MESSAGE(r.message);
    REQUIRE(r.ok);
    wait_roles(m, "db1=replica db2=primary db3=replica");
    Conn old_primary, new_primary;
    connect_or_throw(old_primary, c.root(0));
    connect_or_throw(new_primary, c.root(1));
    CHECK(old_primary.scalar("SELECT @@rpl_semi_sync_master_enabled") == "1");
    CHECK(old_primary.scalar("SELECT @@rpl_semi_sync_slave_enabled") == "0");
    CHECK(new_primary.scalar("SELECT @@rpl_semi_sync_master_enabled") == "0");
    for (const Event& e : events_of(m, EventKind::switchover))
        for (const EventStep& step : e.steps) CHECK(step.action.find("semi-sync") == std::string::npos);
    m.stop();
}
