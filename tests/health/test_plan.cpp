// Failover and switchover planning on fake topologies: candidate choice, its tie-break, and every refusal.

#include <doctest/doctest.h>

#include <functional>

#include "health/plan.hpp"
#include "tests/health/fake_cluster.hpp"

using namespace sluice::health;
using sluice::health::test::FakeCluster;

namespace {

// db1 (server 1) was the primary and is down; db2, db3, db4 replicated from it and lost it.
FakeCluster lost_primary() {
    FakeCluster c;
    c.primary("db1", 1, "0-1-10")
        .replica("db2", 2, "db1", "0-1-10")
        .replica("db3", 3, "db1", "0-1-10")
        .replica("db4", 4, "db1", "0-1-10");
    c.fail("db1", 3).lost("db2").lost("db3").lost("db4");
    return c;
}

Topology derive(const FakeCluster& c) {
    DeriveContext ctx;
    ctx.primary_hint = "db1";
    return c.derive(ctx);
}

// "db3" or "refused behind: ..." for compact expectations.
std::string outcome(const Topology& t, const std::variant<std::size_t, Refusal>& r) {
    if (auto* i = std::get_if<std::size_t>(&r)) return t.backends[*i].spec.name;
    const Refusal& x = std::get<Refusal>(r);
    return "refused " + std::string(to_string(x.code)) + ": " + x.reason;
}

void set_pos(FakeCluster& c, const std::string& name, const std::string& pos, const std::string& state = "") {
    ServerStatus& s = *c.at(name).status;
    s.gtid_current_pos = s.gtid_binlog_pos = s.gtid_slave_pos = GtidSet::of(pos);
    s.gtid_binlog_state = GtidSet::of(state.empty() ? pos : state);
}

}  // namespace

TEST_CASE("candidate selection") {
    struct Case {
        const char* name;
        std::function<void(FakeCluster&)> setup;
        std::optional<std::string> target;
        const char* expected;
    };
    const Case cases[] = {
        {"equally advanced: the name decides", [](FakeCluster&) {}, {}, "db2"},
        {"equally advanced: lower priority wins",
         [](FakeCluster& c) {
             c.at("db2").spec.priority = 5;
             c.at("db4").spec.priority = -1;
         },
         {},
         "db4"},
        {"the most advanced wins over priority",
         [](FakeCluster& c) {
             c.at("db4").spec.priority = -1;
             set_pos(c, "db3", "0-1-12");
         },
         {},
         "db3"},
        {"the old primary's transactions that only the candidate received are not errant",
         [](FakeCluster& c) { set_pos(c, "db2", "0-1-14"); },
         {},
         "db2"},
        {"never_promote is skipped",
         [](FakeCluster& c) { c.at("db2").spec.never_promote = true; },
         {},
         "db3"},
        {"log_slave_updates off is skipped",
         [](FakeCluster& c) { c.at("db2").status->log_slave_updates = false; },
         {},
         "db3"},
        {"log_bin off is skipped", [](FakeCluster& c) { c.at("db2").status->log_bin = false; }, {}, "db3"},
        {"a replica that does not answer is skipped", [](FakeCluster& c) { c.fail("db2", 1); }, {}, "db3"},
        {"a replica with its SQL thread stopped is skipped",
         [](FakeCluster& c) { c.link_of("db2").sql_running = false; },
         {},
         "db3"},
        {"a never_promote replica ahead of every candidate: refused, its transactions would be lost",
         [](FakeCluster& c) {
             c.at("db4").spec.never_promote = true;
             set_pos(c, "db4", "0-1-11");
         },
         {},
         "refused behind: db2 (0-1-10) is behind db4 (0-1-11): promoting it would lose transactions"},
        {"positions ahead in different domains: nobody has everything",
         [](FakeCluster& c) {
             set_pos(c, "db2", "0-1-10,1-1-4");
             set_pos(c, "db3", "0-1-11,1-1-3");
             set_pos(c, "db4", "0-1-10,1-1-3");
         },
         {},
         "refused behind: db2 (0-1-10,1-1-4) is behind db3 (0-1-11,1-1-3): promoting it would lose "
         "transactions"},
        {"in a two-server cluster the old primary's last answer is the witness",
         [](FakeCluster& c) {
             c.fail("db3", 1).fail("db4", 1);
             set_pos(c, "db2", "0-2-11", "0-1-10,0-2-11");
         },
         {},
         "refused errant: db2 has errant transactions the other servers lack: 0-2-11"},
        {"a candidate with its own server id's transactions: errant",
         [](FakeCluster& c) { set_pos(c, "db2", "0-2-11", "0-1-10,0-2-11"); },
         {},
         "refused errant: db2 has errant transactions the other servers lack: 0-2-11"},
        {"an errant GTID from a third server that the others have passed",
         [](FakeCluster& c) {
             set_pos(c, "db2", "0-1-12", "0-1-12,0-4-11");
             set_pos(c, "db3", "0-1-12");
             set_pos(c, "db4", "0-1-12");
         },
         {},
         "refused errant: db2 has errant transactions the other servers lack: 0-4-11"},
        {"GTIDs of an earlier primary that everybody has are fine",
         [](FakeCluster& c) {
             for (const char* n : {"db1", "db2", "db3", "db4"}) set_pos(c, n, "0-1-10", "0-1-10,0-3-5");
         },
         {},
         "db2"},
        {"the requested target", [](FakeCluster&) {}, "db3", "db3"},
        {"a requested target that is behind", [](FakeCluster& c) { set_pos(c, "db2", "0-1-11"); }, "db3",
         "refused behind: db3 (0-1-10) is behind db2 (0-1-11): promoting it would lose transactions"},
        {"a requested target that may not be promoted",
         [](FakeCluster& c) { c.at("db3").spec.never_promote = true; }, "db3",
         "refused target_not_eligible: db3 has never_promote set"},
        {"a requested target that is not a backend", [](FakeCluster&) {}, "db9",
         "refused unknown_target: no backend is called 'db9'"},
        {"the old primary cannot be the target", [](FakeCluster&) {}, "db1",
         "refused target_not_eligible: db1 is the primary"},
        {"no replica answers",
         [](FakeCluster& c) { c.fail("db2", 1).fail("db3", 1).fail("db4", 1); },
         {},
         "refused no_candidate: no live replica of db1"},
        {"no eligible replica",
         [](FakeCluster& c) {
             c.fail("db4", 1);
             c.at("db2").spec.never_promote = true;
             c.at("db3").status->log_bin = false;
         },
         {},
         "refused no_candidate: no eligible replica: db2 has never_promote set; db3 has log_bin off"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        FakeCluster fake = lost_primary();
        c.setup(fake);
        Topology t = derive(fake);
        CHECK(outcome(t, select_candidate(t, 0, c.target)) == c.expected);
    }
}

TEST_CASE("replicas that could not apply their relay log are not candidates but still compared") {
    FakeCluster fake = lost_primary();
    Topology t = derive(fake);
    CHECK(outcome(t, select_candidate(t, 0, {}, {1})) == "db3");
    CHECK(outcome(t, select_candidate(t, 0, "db2", {1})) ==
          "refused target_not_eligible: db2 did not apply its relay log in time");
    set_pos(fake, "db2", "0-1-11");
    t = derive(fake);
    CHECK(outcome(t, select_candidate(t, 0, {}, {1}))
              .starts_with("refused behind: db3 (0-1-10) is behind db2"));
}

TEST_CASE("a replica that received more than it applied counts with what it received") {
    // db2 acknowledged 0-1-11 (semi-sync: it is in its relay log) but did not apply it in time: re-pointing
    // it would throw its relay log away, so promoting db3 would lose an acknowledged transaction.
    FakeCluster fake = lost_primary();
    fake.link_of("db2").gtid_io_pos = GtidSet::of("0-1-11");
    Topology t = derive(fake);
    CHECK(outcome(t, select_candidate(t, 0, {}, {1}))
              .starts_with("refused behind: db3 (0-1-10) is behind db2 (0-1-11)"));
    // Once it has applied it, it is the one promoted.
    set_pos(fake, "db2", "0-1-11");
    t = derive(fake);
    CHECK(outcome(t, select_candidate(t, 0, {})) == "db2");
}

TEST_CASE("prepare_failover: when a failover may start, and its plan") {
    MonitorSettings s;
    FakeCluster fake = lost_primary();
    FailoverRequest automatic;
    automatic.automatic = true;
    Prepared p = prepare_failover(derive(fake), automatic, s);
    REQUIRE(std::holds_alternative<Plan>(p));
    const Plan& plan = std::get<Plan>(p);
    CHECK(plan.old_primary == 0);
    CHECK(plan.new_primary == 1);
    CHECK(plan.repoint == std::vector<std::size_t>{2, 3});
    CHECK(plan.old_primary_server_id == 1u);

    auto refused = [&](const FakeCluster& f, const FailoverRequest& r) {
        Prepared x = prepare_failover(derive(f), r, s);
        return std::holds_alternative<Refusal>(x)
                   ? std::string(to_string(std::get<Refusal>(x).code)) + ": " + std::get<Refusal>(x).reason
                   : std::string("plan");
    };
    automatic.since_last_failover = std::chrono::seconds(10);
    CHECK(refused(fake, automatic) ==
          "cooldown: db1 is down, but the last failover is within failover_cooldown (60 s)");
    automatic.since_last_failover = std::chrono::seconds(61);
    CHECK(refused(fake, automatic) == "plan");

    FakeCluster healthy = lost_primary();
    healthy.fail("db1", 0);
    CHECK(refused(healthy, automatic) == "primary_alive: db1 is healthy");
    FailoverRequest manual;
    CHECK(refused(healthy, manual) == "primary_alive: db1 is healthy: use switchover, or force");
    manual.force = true;
    CHECK(refused(healthy, manual) == "plan");

    FakeCluster suspect = lost_primary();
    suspect.fail("db1", 1);
    CHECK(refused(suspect, automatic) == "primary_alive: db1 is suspect");

    FakeCluster streaming = lost_primary();
    streaming.link_of("db4").io_thread = IoThread::yes;
    streaming.link_of("db4").last_io_errno = 0;
    CHECK(refused(streaming, automatic).starts_with("unconfirmed: db1: 3 checks failed in a row"));

    FakeCluster single;
    single.primary("db1", 1, "0-1-3");
    single.fail("db1", 3);
    CHECK(refused(single, automatic) == "no_candidate: no live replica of db1");
}

TEST_CASE("the old primary's server id comes from its replicas when it was never seen") {
    FakeCluster fake = lost_primary();
    fake.at("db1").status.reset();
    Topology t = derive(fake);
    CHECK(server_id_of(t, 0) == 1u);
}

TEST_CASE("semi-sync is in use when the old primary had it, or its replicas acknowledged") {
    FakeCluster fake = lost_primary();
    CHECK_FALSE(semi_sync_in_use(derive(fake), 0));
    fake.at("db1").status->semi_sync_master_enabled = true;  // its last answer, kept while it is down
    CHECK(semi_sync_in_use(derive(fake), 0));
    CHECK_FALSE(semi_sync_in_use(derive(fake), 1));

    fake.at("db1").status.reset();  // never seen: its replicas tell
    CHECK_FALSE(semi_sync_in_use(derive(fake), 0));
    fake.at("db3").status->semi_sync_slave_on = true;
    CHECK(semi_sync_in_use(derive(fake), 0));
}

TEST_CASE("prepare_switchover") {
    FakeCluster fake;
    fake.primary("db1", 1, "0-1-10").replica("db2", 2, "db1", "0-1-9").replica("db3", 3, "db1", "0-1-10");
    DeriveContext ctx;
    ctx.primary_hint = "db1";
    auto prepared = [&](const std::optional<std::string>& target) {
        Prepared p = prepare_switchover(fake.derive(ctx), target);
        if (auto* r = std::get_if<Refusal>(&p))
            return "refused " + std::string(to_string(r->code)) + ": " + r->reason;
        const Plan& plan = std::get<Plan>(p);
        std::string out = "to " + std::to_string(plan.new_primary) + ", re-point";
        for (auto i : plan.repoint) out += " " + std::to_string(i);
        return out;
    };
    CHECK(prepared({}) == "to 2, re-point 1");     // the closest to the primary
    CHECK(prepared("db2") == "to 1, re-point 2");  // catching up is the switchover's job
    CHECK(prepared("db1") == "refused target_not_eligible: db1 is the primary");
    fake.at("db2").spec.never_promote = true;
    CHECK(prepared("db2") == "refused target_not_eligible: db2 has never_promote set");
    fake.at("db2").spec.never_promote = false;
    set_pos(fake, "db3", "0-1-10", "0-1-10,0-3-2");
    CHECK(prepared("db3") == "refused errant: db3 has transactions the primary db1 lacks: 0-3-2");
    // Checked a moment after the primary under writes, a replica may have more of the primary's own GTIDs.
    set_pos(fake, "db3", "0-1-12");
    CHECK(prepared("db3") == "to 2, re-point 1");
    fake.fail("db1", 1);
    CHECK(prepared({}) == "refused no_primary: db1 is not answering: use failover");
}
