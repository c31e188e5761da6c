// Replica choice over several statements (least outstanding, round-robin ties), the reasons plans give, and a
// session followed through classify -> route -> on_executed / on_server_status as the proxy will drive it.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "route_fixtures.hpp"
#include "router/backend_choice.hpp"
#include "router/classify.hpp"
#include "router/route.hpp"

using namespace sluice::router;
using namespace sluice::router::test;

namespace {

TopologyView four(std::uint32_t db2, std::uint32_t db3, std::uint32_t db4) {
    TopologyView v = topology(T::normal);
    v.backends.push_back({"db4", BackendRole::replica, std::chrono::seconds{0}, 0, true});
    v.backends[1].outstanding = db2;
    v.backends[2].outstanding = db3;
    v.backends[3].outstanding = db4;
    return v;
}

std::string picks(const TopologyView& v, RouteState rr, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) {
        std::optional<std::size_t> b = choose_replica(v, rr);
        out += (out.empty() ? "" : " ") + (b ? v.backends[*b].name : std::string("-"));
    }
    return out;
}

}  // namespace

TEST_CASE("router route: least outstanding wins, ties take turns") {
    CHECK(picks(four(0, 0, 0), RouteState{0}, 6) == "db2 db3 db4 db2 db3 db4");
    CHECK(picks(four(0, 0, 1), RouteState{0}, 4) == "db2 db3 db2 db3");
    CHECK(picks(four(2, 1, 2), RouteState{0}, 3) == "db3 db3 db3");
    CHECK(picks(four(0, 0, 0), RouteState{1}, 3) == "db3 db4 db2");  // the cursor seeded with the session id
    CHECK(picks(four(5, 0, 0), RouteState{7}, 2) == "db4 db3");
    CHECK(picks(topology(T::replicas_down), RouteState{0}, 2) == "- -");

    TopologyView v = four(0, 0, 0);
    v.backends[2].lag = std::chrono::seconds{31};  // just over the 30 s limit
    v.backends[3].lag = std::chrono::seconds{30};  // at the limit: allowed
    CHECK(picks(v, RouteState{0}, 3) == "db2 db4 db2");

    RouteState rr;
    SessionState s;
    std::vector<std::string> seen;
    for (int i = 0; i < 4; ++i) {
        RoutePlan p = route(classify("SELECT 1"), s, v, rr);
        seen.push_back(v.backends[*p.backend].name);
    }
    CHECK(seen == std::vector<std::string>{"db2", "db4", "db2", "db4"});
    CHECK(rr.round_robin == 4);
}

TEST_CASE("router route: reasons say why") {
    TopologyView v = topology(T::normal);
    SessionState s;
    auto reason = [&](const char* sql) {
        RouteState rr;
        return route(classify(sql), s, v, rr).reason;
    };
    CHECK(reason("SELECT 1") == "read: db2");
    CHECK(reason("INSERT INTO t VALUES (1)") == "write");
    CHECK(reason("SELECT * FROM t FOR UPDATE") == "locking read");
    CHECK(reason("SELECT 1; SELECT 2") == "multi-statement");
    CHECK(reason("/* sluice: replica */ INSERT INTO t VALUES (1)") ==
          "write (hint ignored: write runs on the primary)");
    CHECK(reason("/* sluice: primary */ INSERT INTO t VALUES (1)") == "write");
    CHECK(reason("/* sluice: backend=db9 */ SELECT 1") == "read: db2 (hint ignored: backend db9 is unknown)");
    CHECK(reason("/* sluice: nope */ SELECT 1") == "read: db2 (invalid sluice hint ignored)");
    CHECK(reason("SET @a = 1") == "session command: all backends, recorded");
    v.settings.fallback = Fallback::error;
    v.backends[1].healthy = false;
    v.backends[2].healthy = false;
    CHECK(reason("SELECT 1") == "read; no replica qualifies (fallback=error)");
}

TEST_CASE("router route: with the split off, reads go to the primary, whatever the fallback") {
    TopologyView v = topology(T::normal);
    v.settings.read_write_split = false;
    v.settings.fallback = Fallback::error;
    SessionState s;
    for (const char* sql : {"SELECT 1", "/* sluice: replica */ SELECT 1"}) {
        RouteState rr;
        RoutePlan p = route(classify(sql), s, v, rr);
        CHECK_MESSAGE(summary(p, v) == "primary db1", sql);
    }
    RouteState rr;
    CHECK(route(classify("SELECT 1"), s, v, rr).reason == "read");
    CHECK(summary(route(classify("START TRANSACTION READ ONLY"), s, v, rr), v) == "primary db1 pin");
}

TEST_CASE("router route: a session driven like the proxy drives it") {
    TopologyView v = topology(T::normal);
    v.settings.consistency = Consistency::session;
    SessionState s;
    RouteState rr;
    // Routes, then reports success as the proxy would; returns "target backend ...".
    auto step = [&](const char* sql, std::uint16_t status = kStatusAutocommit) {
        Statement st = classify(sql, ClassifyOptions{s.lexer_options});
        RoutePlan p = route(st, s, v, rr);
        std::string where = p.backend ? v.backends[*p.backend].name : "";
        if (p.ok()) {
            s.on_executed(st, p, where);
            s.on_server_status(status);
        }
        return summary(p, v);
    };
    const std::uint16_t in_trx = kStatusAutocommit | kStatusInTransaction;

    CHECK(step("USE app") == "all db1 record");
    CHECK(step("SELECT * FROM t") == "replica db2");
    CHECK(step("SELECT * FROM t") == "replica db3");

    CHECK(step("START TRANSACTION READ ONLY", in_trx) == "replica db2 pin");
    CHECK(step("SELECT * FROM t", in_trx) == "replica db2");
    CHECK(step("SELECT * FROM u", in_trx) == "replica db2");
    CHECK(step("COMMIT") == "replica db2");
    CHECK_FALSE(s.transaction_backend.has_value());

    CHECK(step("BEGIN", in_trx) == "primary db1 pin");
    CHECK(step("SELECT * FROM t", in_trx) == "primary db1");
    CHECK(step("UPDATE t SET a = 1", in_trx) == "primary db1");
    CHECK(step("COMMIT") == "primary db1");
    // Session tracking gave the proxy the write's GTID: replica reads now wait for it.
    CHECK(s.wrote);
    CHECK(step("SELECT * FROM t") == "primary db1");  // no GTID known yet
    s.last_write_gtid = "0-1-7";
    CHECK(step("SELECT * FROM t") == "replica db3 wait=0-1-7");

    CHECK(step("SET autocommit = 0", 0) == "all db1 record");
    CHECK(step("SELECT * FROM t", kStatusInTransaction) == "primary db1");
    CHECK(step("COMMIT", 0) == "primary db1");
    CHECK(step("SET autocommit = 1") == "all db1 record");
    CHECK(step("SELECT 1") == "replica db2 wait=0-1-7");

    CHECK(step("CREATE TEMPORARY TABLE tmp (a INT)") == "primary db1");
    CHECK(step("SELECT * FROM tmp") == "primary db1");
    CHECK(step("SELECT * FROM app.tmp JOIN t") == "primary db1");
    CHECK(step("DROP TEMPORARY TABLE tmp") == "primary db1");
    CHECK(step("SELECT * FROM tmp") == "replica db3 wait=0-1-7");

    CHECK(step("SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 5") == "replica db2 wait=0-1-7");
    CHECK(step("SELECT FOUND_ROWS()") == "named db2");
    CHECK(step("SHOW WARNINGS") == "named db2");

    CHECK(step("SELECT @n := COUNT(*) FROM t") == "primary db1");
    CHECK(step("SELECT @n") == "primary db1");
    CHECK(step("SET @n = 5") == "all db1 record");
    CHECK(step("SELECT @n") == "replica db3 wait=0-1-7");

    CHECK(step("PREPARE q FROM 'SELECT * FROM t WHERE a = ?'") == "all db1 record");
    CHECK(step("EXECUTE q USING @n") == "replica db2 wait=0-1-7");
    CHECK(step("DEALLOCATE PREPARE q") == "all db1 record");
    CHECK(step("EXECUTE q") == "primary db1");

    CHECK(step("SELECT 1; SET @z = 1") == "primary db1 lock");
    CHECK(step("SELECT 1") == "primary db1");

    std::vector<std::string_view> replay = s.history.replay();
    CHECK(replay == std::vector<std::string_view>{"USE app", "SET autocommit = 1", "SET @n = 5"});
}
