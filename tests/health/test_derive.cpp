// Topology derivation on fake snapshots: who is the primary, who replicates from whom, roles, lag, warnings.

#include <doctest/doctest.h>

#include <functional>

#include "tests/health/fake_cluster.hpp"

using namespace sluice::health;
using sluice::health::test::FakeCluster;

namespace {

FakeCluster three() {
    FakeCluster c;
    c.primary("db1", 1, "0-1-10").replica("db2", 2, "db1", "0-1-10").replica("db3", 3, "db1", "0-1-9");
    return c;
}

std::string warnings(const Topology& t) {
    std::string out;
    for (const auto& w : t.warnings) out += (out.empty() ? "" : " | ") + w;
    return out;
}

}  // namespace

TEST_CASE("topology derivation") {
    struct Case {
        const char* name;
        std::function<void(FakeCluster&, DeriveContext&)> setup;
        const char* roles;
        const char* primary;  // "" for none
        const char* warnings;
    };
    const Case cases[] = {
        {"a healthy cluster", [](FakeCluster& c, DeriveContext&) { c.link_of("db3").seconds_behind = 5; },
         "db1=primary db2=replica(lag 0) db3=replica(lag 5)", "db1", ""},
        {"a primary failing fewer than failcount checks stays the primary",
         [](FakeCluster& c, DeriveContext& x) {
             c.fail("db1", 2);
             x.primary_hint = "db1";
         },
         "db1=primary(failures 2) db2=replica(lag 0) db3=replica(lag 0)", "db1", ""},
        {"after failcount failed checks the primary is down, still the one to replace",
         [](FakeCluster& c, DeriveContext& x) {
             c.fail("db1", 3).lost("db2").lost("db3");
             x.primary_hint = "db1";
         },
         "db1=down(failures 3) db2=replica db3=replica", "db1", ""},
        {"a primary never seen (dead when the monitor started) is found from its replicas",
         [](FakeCluster& c, DeriveContext&) {
             c.fail("db1", 5).lost("db2").lost("db3");
             c.at("db1").status.reset();
         },
         "db1=down(failures 5) db2=replica db3=replica", "db1", ""},
        {"a returning former primary, still writable, does not displace the new one",
         [](FakeCluster& c, DeriveContext& x) {
             c.at("db2").status->read_only = false;
             c.at("db2").status->slaves.clear();
             c.link("db3", "db2");
             x.primary_hint = "db2";
         },
         "db1=unknown db2=primary db3=replica(lag 0)", "db2", "several servers are writable: db1, db2"},
        {"semi-sync waiting for acknowledgements: nothing to say",
         [](FakeCluster& c, DeriveContext&) {
             c.at("db1").status->semi_sync_master_enabled = true;
             c.at("db1").status->semi_sync_master_on = true;
         },
         "db1=primary db2=replica(lag 0) db3=replica(lag 0)", "db1", ""},
        {"semi-sync enabled but fallen back to asynchronous: writes are not protected",
         [](FakeCluster& c, DeriveContext&) { c.at("db1").status->semi_sync_master_enabled = true; },
         "db1=primary db2=replica(lag 0) db3=replica(lag 0)", "db1",
         "backend=db1: semi-sync is enabled on the primary but it does not wait for replicas "
         "(Rpl_semi_sync_master_status OFF): writes are acknowledged before a replica has them"},
        {"without a hint, the writable server with replicas is the primary",
         [](FakeCluster& c, DeriveContext&) {
             c.at("db2").status->read_only = false;
             c.at("db2").status->slaves.clear();
             c.link("db3", "db2");
             c.at("db1").status->slaves.clear();
             c.link("db1", "db3");  // db1 -> db3 -> db2: a chain
             c.at("db1").status->read_only = true;
         },
         "db1=replica(lag 0) db2=primary db3=replica(lag 0)", "db2", ""},
        {"two writable servers and no replicas: no primary rather than a guess",
         [](FakeCluster& c, DeriveContext&) {
             c.at("db2").status->read_only = false;
             c.at("db2").status->slaves.clear();
             c.fail("db3", 3);
         },
         "db1=unknown db2=unknown db3=down(failures 3)", "",
         "cannot tell the primary: several writable servers, none with replicas | several servers are "
         "writable: "
         "db1, db2"},
        {"the hinted primary now replicates from another server: derived afresh",
         [](FakeCluster& c, DeriveContext& x) {
             x.primary_hint = "db1";
             c.at("db1").status->read_only = true;
             c.link("db1", "db2");
             c.at("db2").status->read_only = false;
             c.at("db2").status->slaves.clear();
             c.link("db3", "db2");
         },
         "db1=replica(lag 0) db2=primary db3=replica(lag 0)", "db2", ""},
        {"the hinted primary is down but an operator promoted another with replicas: that one",
         [](FakeCluster& c, DeriveContext& x) {
             x.primary_hint = "db1";
             c.fail("db1", 4);
             c.at("db2").status->read_only = false;
             c.at("db2").status->slaves.clear();
             c.link("db3", "db2");
         },
         "db1=down(failures 4) db2=primary db3=replica(lag 0)", "db2", ""},
        {"a replica whose SQL thread stopped is not a replica, with a warning",
         [](FakeCluster& c, DeriveContext&) {
             c.link_of("db3").sql_running = false;
             c.link_of("db3").last_sql_errno = 1062;
             c.link_of("db3").last_sql_error = "Duplicate entry";
         },
         "db1=primary db2=replica(lag 0) db3=unknown", "db1",
         "backend=db3: replication SQL thread stopped: 1062 Duplicate entry"},
        {"a replica whose IO thread stopped while the primary answers: still a replica, warned",
         [](FakeCluster& c, DeriveContext&) {
             c.link_of("db2").io_thread = IoThread::no;
             c.link_of("db2").last_io_errno = 1236;
             c.link_of("db2").last_io_error = "binlog purged";
         },
         "db1=primary db2=replica(lag 0) db3=replica(lag 0)", "db1",
         "backend=db2: replication IO thread stopped: 1236 binlog purged"},
        {"a writable replica is still a replica, but warned about",
         [](FakeCluster& c, DeriveContext&) { c.at("db2").status->read_only = false; },
         "db1=primary db2=replica(lag 0) db3=replica(lag 0)", "db1",
         "several servers are writable: db1, db2"},
        {"a known diverged server stays diverged",
         [](FakeCluster& c, DeriveContext& x) {
             x.diverged["db3"] = {Gtid{0, 3, 11}};
             (void)c;
         },
         "db1=primary db2=replica(lag 0) db3=diverged", "db1", ""},
        {"replicating from a server that is not a backend: not ours",
         [](FakeCluster& c, DeriveContext&) { c.link_of("db3").master_port = 9999; },
         "db1=primary db2=replica(lag 0) db3=unknown", "db1", ""},
        {"a read-only primary stays the primary, warned about",
         [](FakeCluster& c, DeriveContext& x) {
             x.primary_hint = "db1";
             c.at("db1").status->read_only = true;
         },
         "db1=primary db2=replica(lag 0) db3=replica(lag 0)", "db1", "backend=db1: the primary is read_only"},
        {"a server not checked yet is unknown, then down after failcount failures",
         [](FakeCluster& c, DeriveContext&) {
             c.at("db3").status.reset();
             c.fail("db3", 1);
         },
         "db1=primary db2=replica(lag 0) db3=unknown(failures 1)", "db1", ""},
        {"a replica of the other replica after a failover points at a down server: unknown, warned",
         [](FakeCluster& c, DeriveContext& x) {
             x.primary_hint = "db2";
             c.fail("db1", 9);
             c.at("db2").status->read_only = false;
             c.at("db2").status->slaves.clear();
             c.lost("db3");
             c.link("db1", "db2");
         },
         "db1=down(failures 9) db2=primary db3=unknown", "db2",
         "backend=db3: replicates from db1, not from the primary db2"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        FakeCluster fake = three();
        DeriveContext ctx;
        c.setup(fake, ctx);
        Topology t = fake.derive(ctx);
        CHECK(describe(t) == c.roles);
        CHECK((t.primary ? t.backends[*t.primary].spec.name : "") == c.primary);
        CHECK(warnings(t) == c.warnings);
    }
}

TEST_CASE("derived links, errant lists and shape comparison") {
    FakeCluster fake = three();
    DeriveContext ctx;
    ctx.diverged["db3"] = {Gtid{0, 3, 11}};
    Topology t = fake.derive(ctx);
    CHECK(t.backends[1].master == 0u);
    CHECK(t.backends[2].errant == std::vector<Gtid>{{0, 3, 11}});
    CHECK(t.find("db2")->link(t.backends)->master_port == 3311);
    CHECK(t.writable_primary() == &t.backends[0]);
    CHECK(t.with_role(Role::replica).size() == 1);

    Topology same = fake.derive(ctx);
    same.backends[1].latency = std::chrono::microseconds(999);  // latency and lag do not change the shape
    fake.link_of("db2").seconds_behind = 7;
    CHECK(t.same_shape(same));
    CHECK(t.same_shape(fake.derive(ctx)));
    fake.fail("db2", 1);
    CHECK_FALSE(t.same_shape(fake.derive(ctx)));  // reachability does

    fake.fail("db2", 0).fail("db1", 3);
    ctx.primary_hint = "db1";
    Topology down = fake.derive(ctx);
    CHECK(down.primary == 0u);
    CHECK(down.writable_primary() == nullptr);
}
