// RELOAD CONFIG's plan: what applies now, what waits for a restart.

#include <doctest/doctest.h>

#include "proxy/config_reload.hpp"

using namespace sluice::proxy;

TEST_CASE("config reload: reloadable keys apply, the others are kept and named") {
    Config running;
    running.backends = {{"db1", "10.0.0.1", 3306, 0, false}};
    Config fresh = running;
    CHECK(describe(plan_reload(running, fresh)) == "reloaded: no change");

    fresh.logging.level = "debug";
    fresh.limits.idle_timeout = std::chrono::milliseconds(5000);
    fresh.limits.max_client_connections = 3;
    fresh.users.list = {UserConfig{"bob", "pw", "%", "", ""}};
    fresh.admin.password = "new";
    fresh.backends.push_back({"db2", "10.0.0.2", 3306, 0, false});
    fresh.backends[0].priority = 3;  // a running backend changed: waits for a restart
    fresh.listen.port = 7000;
    fresh.limits.workers = 8;
    fresh.limits.scheduling = WorkerScheduling::normal;
    ReloadPlan p = plan_reload(running, fresh);
    CHECK(p.next.logging.level == "debug");
    CHECK(p.next.limits.idle_timeout == std::chrono::milliseconds(5000));
    CHECK(p.next.limits.max_client_connections == 3);
    CHECK(p.next.users.list.size() == 1);
    CHECK(p.next.admin.password == "new");
    CHECK(p.next.backends.size() == 1);  // kept
    CHECK(p.added_backends.empty());
    CHECK(p.next.listen.port == running.listen.port);
    CHECK(p.next.limits.workers == running.limits.workers);
    CHECK(p.next.limits.scheduling == running.limits.scheduling);
    CHECK(describe(p) ==
          "reloaded: logging.level, limits.max_client_connections, limits.idle_timeout, users.list, "
          "admin.password; needs a restart (kept as running): listen, backends, limits.workers, "
          "limits.worker_scheduling");
}

TEST_CASE("config reload: a new listen.socket waits for a restart") {
    Config running;
    running.backends = {{"db1", "10.0.0.1", 3306, 0, false}};
    Config fresh = running;
    fresh.listen.socket = "/run/sluice.sock";
    ReloadPlan p = plan_reload(running, fresh);
    CHECK(p.next.listen.socket.empty());
    CHECK(describe(p) == "reloaded: no change; needs a restart (kept as running): listen");
}

TEST_CASE("config reload: backends added after the running ones apply") {
    Config running;
    running.backends = {{"db1", "10.0.0.1", 3306, 0, false}};
    Config fresh = running;
    fresh.backends.push_back({"db2", "10.0.0.2", 3306, 0, false});
    fresh.backends.push_back({"db3", "10.0.0.3", 3306, 1, true});
    ReloadPlan p = plan_reload(running, fresh);
    CHECK(p.next.backends.size() == 3);
    REQUIRE(p.added_backends.size() == 2);
    CHECK(p.added_backends[1].name == "db3");
    CHECK(describe(p) == "reloaded: backends (added db2, db3)");

    Config removed = running;
    removed.backends.clear();
    removed.backends.push_back({"db2", "10.0.0.2", 3306, 0, false});
    ReloadPlan r = plan_reload(running, removed);
    CHECK(r.added_backends.empty());
    CHECK(describe(r) == "reloaded: no change; needs a restart (kept as running): backends");
}

TEST_CASE("config reload: the routing section applies") {
    Config running;
    running.backends = {{"db1", "10.0.0.1", 3306, 0, false}};
    Config fresh = running;
    fresh.routing.max_replication_lag = std::chrono::milliseconds(5000);
    fresh.routing.read_write_split = false;
    ReloadPlan p = plan_reload(running, fresh);
    CHECK(p.next.routing.max_replication_lag == std::chrono::milliseconds(5000));
    CHECK_FALSE(p.next.routing.read_write_split);
    CHECK(describe(p) == "reloaded: routing");
}
