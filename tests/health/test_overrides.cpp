// The operator's role overrides laid over a derived topology, and what failover planning makes of them.

#include <doctest/doctest.h>

#include "health/overrides.hpp"
#include "health/plan.hpp"
#include "tests/health/fake_cluster.hpp"

using namespace sluice::health;
using sluice::health::test::FakeCluster;

namespace {

FakeCluster healthy() {
    FakeCluster c;
    c.primary("db1", 1, "0-1-10").replica("db2", 2, "db1", "0-1-10").replica("db3", 3, "db1", "0-1-10");
    return c;
}

Topology derive(const FakeCluster& c) {
    DeriveContext ctx;
    ctx.primary_hint = "db1";
    return c.derive(ctx);
}

}  // namespace

TEST_CASE("overrides: words") {
    CHECK(override_from_string("maintenance") == Override::maintenance);
    CHECK(override_from_string("Drain") == Override::draining);
    CHECK(override_from_string("DRAINING") == Override::draining);
    CHECK(override_from_string("online") == Override::online);
    CHECK_FALSE(override_from_string("offline").has_value());
    CHECK(to_string(Override::draining) == "draining");
}

TEST_CASE("overrides: replicas take the operator's role, the primary keeps its own") {
    Topology t = derive(healthy());
    apply_overrides(
        t, {{"db2", Override::maintenance}, {"db3", Override::draining}, {"db1", Override::draining}});
    CHECK(t.backends[0].role == Role::primary);
    CHECK(t.backends[1].role == Role::maintenance);
    CHECK(t.backends[2].role == Role::draining);
    CHECK(t.backends[1].lag == 0);  // still watched: lag and links stay
    REQUIRE(t.warnings.size() == 1);
    CHECK(t.warnings[0].find("backend=db1: set to draining but it is the primary") == 0);
    CHECK(t.writable_primary() != nullptr);

    Topology plain = derive(healthy());
    apply_overrides(plain, {{"db2", Override::online}});
    CHECK(plain.backends[1].role == Role::replica);
}

TEST_CASE("overrides: failover never promotes a backend in maintenance or draining") {
    FakeCluster c = healthy();
    c.fail("db1", 3).lost("db2").lost("db3");
    Topology t = derive(c);
    apply_overrides(t, {{"db2", Override::maintenance}});
    auto chosen = select_candidate(t, 0, std::nullopt);
    REQUIRE(std::holds_alternative<std::size_t>(chosen));
    CHECK(std::get<std::size_t>(chosen) == 2);

    auto targeted = select_candidate(t, 0, std::string("db2"));
    REQUIRE(std::holds_alternative<Refusal>(targeted));
    CHECK(std::get<Refusal>(targeted).reason == "db2 is in maintenance");

    apply_overrides(t, {{"db3", Override::draining}});
    auto none = select_candidate(t, 0, std::nullopt);
    REQUIRE(std::holds_alternative<Refusal>(none));
    CHECK(std::get<Refusal>(none).code == RefusalCode::no_candidate);
}
