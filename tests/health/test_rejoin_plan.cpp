// Fencing and rejoin decisions: whole-GTID containment decides, never sequence numbers alone.

#include <doctest/doctest.h>

#include "health/rejoin_plan.hpp"
#include "tests/health/fake_cluster.hpp"

using namespace sluice::health;
using sluice::health::test::FakeCluster;

namespace {

// After a failover from db1 (server 1) to db2 (server 2): db3 follows db2, which wrote 0-2-11..15.
FakeCluster after_failover(const std::string& db1_pos) {
    FakeCluster c;
    c.primary("db1", 1, db1_pos)
        .primary("db2", 2, "0-2-15", "0-1-10,0-2-15")
        .replica("db3", 3, "db2", "0-2-15", "0-1-10,0-2-15");
    return c;
}

Topology derive(const FakeCluster& c, std::map<std::string, std::vector<Gtid>> diverged = {}) {
    DeriveContext ctx;
    ctx.primary_hint = "db2";
    ctx.diverged = std::move(diverged);
    return c.derive(ctx);
}

}  // namespace

TEST_CASE("a former primary whose history the new primary contains rejoins") {
    FakeCluster c = after_failover("0-1-10");
    Topology t = derive(c);
    const std::set<std::string> former{"db1"};
    CHECK(needs_fencing(t, 0, former));
    CHECK_FALSE(needs_fencing(t, 0, {}));  // a stranger is only warned about
    CHECK(rejoin_targets(t, former) == std::vector<std::size_t>{0});
    CHECK(judge_rejoin(t, 0).verdict == RejoinVerdict::rejoin);
}

TEST_CASE("divergence is whole GTIDs: 0-1-16 is not in a history that has 0-2-16") {
    struct Case {
        const char* db1_binlog_state;
        const char* db2_binlog_state;
        RejoinVerdict verdict;
        const char* errant;
    };
    const Case cases[] = {
        {"0-1-10", "0-1-10,0-2-15", RejoinVerdict::rejoin, ""},
        {"0-1-11", "0-1-10,0-2-15", RejoinVerdict::diverged,
         "0-1-11"},  // committed after its replicas lost it
        {"0-1-16", "0-1-15,0-2-16", RejoinVerdict::diverged,
         "0-1-16"},  // MASTER_GTID_WAIT would say "reached"
        {"0-1-16", "0-1-16,0-2-17", RejoinVerdict::rejoin, ""},
        {"0-1-10,1-1-3", "0-1-10,0-2-15", RejoinVerdict::diverged,
         "1-1-3"},  // a domain the primary never saw
        {"0-1-10,0-7-2", "0-1-10,0-2-15,0-7-2", RejoinVerdict::rejoin, ""},
    };
    for (const Case& k : cases) {
        CAPTURE(k.db1_binlog_state);
        CAPTURE(k.db2_binlog_state);
        FakeCluster c = after_failover("0-1-10");
        c.at("db1").status->gtid_binlog_state = GtidSet::of(k.db1_binlog_state);
        c.at("db2").status->gtid_binlog_state = GtidSet::of(k.db2_binlog_state);
        RejoinDecision d = judge_rejoin(derive(c), 0);
        CHECK(to_string(d.verdict) == to_string(k.verdict));
        CHECK(to_string(d.errant) == k.errant);
    }
}

TEST_CASE("who the monitor rejoins by itself") {
    FakeCluster c = after_failover("0-1-10");
    c.at("db1").status->read_only = true;
    CHECK(rejoin_targets(derive(c), {}) ==
          std::vector<std::size_t>{0});  // read-only, replicating from nobody
    c.at("db1").status->read_only = false;
    CHECK(rejoin_targets(derive(c), {}).empty());  // a writable stranger may be someone's primary
    CHECK(rejoin_targets(derive(c, {{"db1", {Gtid{0, 1, 11}}}}), {"db1"}).empty());  // diverged: never
    c.fail("db1", 1);
    CHECK(rejoin_targets(derive(c), {"db1"}).empty());  // not answering

    FakeCluster broken = after_failover("0-1-10");
    broken.at("db1").status->read_only = true;
    broken.link("db1", "db2");
    broken.link_of("db1").sql_running = false;  // points at the primary, replication broken: not ours to fix
    CHECK(rejoin_targets(derive(broken), {}).empty());

    FakeCluster stale = after_failover("0-1-10");
    stale.link("db3", "db1");  // was down during the failover, still points at the old primary
    stale.at("db1").status->read_only = true;
    stale.link("db1", "db2");
    CHECK(rejoin_targets(derive(stale), {}).empty());  // a chain through db1 reaches the primary: fine
    stale.fail("db1", 3);
    CHECK(rejoin_targets(derive(stale), {}) == std::vector<std::size_t>{2});
}

TEST_CASE("rejoin needs both sides answering; the primary and its replicas need nothing") {
    FakeCluster c = after_failover("0-1-10");
    Topology t = derive(c);
    CHECK(judge_rejoin(t, 1).verdict == RejoinVerdict::not_needed);
    CHECK(judge_rejoin(t, 2).verdict == RejoinVerdict::not_needed);
    c.fail("db2", 1);
    CHECK(judge_rejoin(derive(c), 0).verdict == RejoinVerdict::wait);
}
