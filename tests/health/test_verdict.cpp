// When is the primary down: failcount failed checks in a row and, with verify_primary_failure, replicas that
// lost it too.

#include <doctest/doctest.h>

#include <functional>

#include "health/verdict.hpp"
#include "tests/health/fake_cluster.hpp"

using namespace sluice::health;
using sluice::health::test::FakeCluster;

TEST_CASE("judging the primary") {
    struct Case {
        const char* name;
        std::function<void(FakeCluster&, MonitorSettings&)> setup;
        PrimaryHealth expected;
        const char* detail_mentions;
    };
    const Case cases[] = {
        {"answers", [](FakeCluster&, MonitorSettings&) {}, PrimaryHealth::healthy, ""},
        {"fewer than failcount failures", [](FakeCluster& c, MonitorSettings&) { c.fail("db1", 2); },
         PrimaryHealth::suspect, "2 of 3 checks failed"},
        {"failcount failures and every replica lost it",
         [](FakeCluster& c, MonitorSettings&) { c.fail("db1", 3).lost("db2").lost("db3"); },
         PrimaryHealth::down, "no replica receives from it"},
        {"failcount failures but a replica still streams from it",
         [](FakeCluster& c, MonitorSettings&) { c.fail("db1", 3).lost("db2"); }, PrimaryHealth::unconfirmed,
         "db3 still replicates from it"},
        {"an IO thread still Yes but with an IO error counts as lost",
         [](FakeCluster& c, MonitorSettings&) {
             c.fail("db1", 3).lost("db2");
             c.link_of("db3").last_io_errno = 2013;
         },
         PrimaryHealth::down, ""},
        {"an IO thread stopped (No) counts as lost",
         [](FakeCluster& c, MonitorSettings&) {
             c.fail("db1", 3).lost("db2");
             c.link_of("db3").io_thread = IoThread::no;
         },
         PrimaryHealth::down, ""},
        {"without verify_primary_failure the monitor's own checks decide",
         [](FakeCluster& c, MonitorSettings& s) {
             c.fail("db1", 3);
             s.verify_primary_failure = false;
         },
         PrimaryHealth::down, "3 checks failed"},
        {"replicas that do not answer cannot object",
         [](FakeCluster& c, MonitorSettings&) { c.fail("db1", 3).fail("db2", 1).fail("db3", 5); },
         PrimaryHealth::down, ""},
        {"failcount 1 is one failure",
         [](FakeCluster& c, MonitorSettings& s) {
             s.failcount = 1;
             c.fail("db1", 1).lost("db2").lost("db3");
         },
         PrimaryHealth::down, ""},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        FakeCluster fake;
        fake.primary("db1", 1, "0-1-10")
            .replica("db2", 2, "db1", "0-1-10")
            .replica("db3", 3, "db1", "0-1-10");
        MonitorSettings s;
        c.setup(fake, s);
        DeriveContext ctx;
        ctx.failcount = s.failcount;
        ctx.primary_hint = "db1";
        PrimaryVerdict v = judge_primary(fake.derive(ctx), s);
        CHECK(to_string(v.health) == to_string(c.expected));
        CHECK(v.detail.find(c.detail_mentions) != std::string::npos);
    }
}

TEST_CASE("no primary, no verdict") {
    FakeCluster fake;
    fake.primary("db1", 1, "0-1-1").primary("db2", 2, "0-2-1");
    CHECK(judge_primary(fake.derive(), MonitorSettings{}).health == PrimaryHealth::none);
}
