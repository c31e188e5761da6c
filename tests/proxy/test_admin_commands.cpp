#include <doctest/doctest.h>

#include "proxy/admin_commands.hpp"

using namespace sluice;
using namespace sluice::proxy;
using namespace sluice::proxy::admin;

namespace {

struct Fake {
    Config config;
    std::optional<std::string> switch_target;
    std::optional<std::string> failover_target;
    bool failover_force = false;
    std::string rejoined;
    std::string override_name;
    health::Override override_to = health::Override::online;
    bool paused = false;
    std::optional<bool> shutdown_graceful;
    std::vector<std::uint32_t> killed;
    std::size_t digest_limit = 99;

    Context context() {
        Context ctx;
        ctx.config = [this] { return std::make_shared<const Config>(config); };
        ctx.version = "1.2.3";
        ctx.topology = [] {
            auto t = std::make_shared<health::Topology>();
            health::BackendState p;
            p.spec = {"db1", "10.0.0.1", 3306, 0, false};
            p.role = health::Role::primary;
            p.status = health::ServerStatus{};
            p.status->gtid_binlog_pos = health::GtidSet::of("0-1-42");
            health::BackendState r;
            r.spec = {"db2", "10.0.0.2", 3307, 0, false};
            r.role = health::Role::down;
            r.failures = 4;
            r.error = "Can't connect";
            t->backends = {p, r};
            t->primary = 0;
            return std::shared_ptr<const health::Topology>(t);
        };
        ctx.events = [] {
            health::Event e = health::Event::of(health::EventKind::switchover);
            e.id = 7;
            e.ok = true;
            e.old_primary = "db1";
            e.new_primary = "db2";
            e.steps.push_back({"db2", "promote", true, "", std::chrono::milliseconds(12)});
            return std::vector<health::Event>{e};
        };
        ctx.counters = [] {
            CountersSnapshot c;
            c.statements = 5;
            return c;
        };
        ctx.switchover = [this](std::optional<std::string> t) {
            switch_target = t;
            return health::OperationResult{true, "switched", 1};
        };
        ctx.failover = [this](std::optional<std::string> t, bool force) {
            failover_target = t;
            failover_force = force;
            return health::OperationResult{false, "primary is up", 0};
        };
        ctx.rejoin = [this](const std::string& n) {
            rejoined = n;
            return health::OperationResult{true, "rejoined", 2};
        };
        ctx.set_server = [this](const std::string& n, health::Override o) {
            override_name = n;
            override_to = o;
            return health::OperationResult{true, n + " is " + std::string(to_string(o)), 0};
        };
        ctx.pools = [] { return std::vector<PoolRow>{{1, 0, 2, 3, 1, 9}}; };
        ctx.sessions = [] {
            SessionInfo s;
            s.id = 1073741824;
            s.client = "127.0.0.1";
            s.user = "app";
            s.database = "shop";
            s.in_transaction = true;
            s.backend = "db1";
            s.statement = "SELECT SLEEP(5)";
            s.started = std::chrono::steady_clock::now() - std::chrono::milliseconds(1500);
            SessionInfo idle;
            idle.id = 1073741825;
            return std::vector<SessionInfo>{s, idle};
        };
        ctx.digests = [this](std::size_t limit) {
            digest_limit = limit;
            DigestRow d;
            d.hash = 0xABC;
            d.fingerprint = "SELECT ?";
            d.backend = "db1";
            d.count = 4;
            d.sum_us = 100;
            d.min_us = 10;
            d.max_us = 40;
            d.rows = 4;
            return std::vector<DigestRow>{d};
        };
        ctx.paused = [this] { return paused; };
        ctx.set_paused = [this](bool p) { paused = p; };
        ctx.kill_session = [this](std::uint32_t id) {
            killed.push_back(id);
            return id == 7;
        };
        ctx.shutdown = [this](bool graceful) { shutdown_graceful = graceful; };
        ctx.reload = [] { return ReloadOutcome{false, "conf.yaml:3: limits.workers: not a number"}; };
        return ctx;
    }
};

const Table& table(const Reply& r) {
    REQUIRE(std::holds_alternative<Table>(r));
    return std::get<Table>(r);
}

const protocol::ErrPacket& err(const Reply& r) {
    REQUIRE(std::holds_alternative<protocol::ErrPacket>(r));
    return std::get<protocol::ErrPacket>(r);
}

std::string cell(const Table& t, std::size_t row, std::string_view column) {
    for (std::size_t i = 0; i < t.columns.size(); ++i)
        if (t.columns[i].name == column) return t.rows.at(row).values.at(i).value_or("NULL");
    FAIL("no column " << column);
    return {};
}

}  // namespace

TEST_CASE("admin parser: verbs match case-insensitively, the longest first, ignoring ; and whitespace") {
    struct Case {
        const char* sql;
        const char* verb;
        std::vector<std::string> args;
    };
    const Case cases[] = {
        {"SHOW SERVERS", "SHOW SERVERS", {}},
        {"  show   servers ;; ", "SHOW SERVERS", {}},
        {"Show Stats;", "SHOW STATS", {}},
        {"select @@version_comment limit 1", "SELECT @@VERSION_COMMENT", {"limit", "1"}},
        {"SELECT @@version", "SELECT @@VERSION", {}},
        {"switchover to Db2", "SWITCHOVER", {"to", "Db2"}},
        {"FAILOVER TO db3 FORCE;", "FAILOVER", {"TO", "db3", "FORCE"}},
        {"SET NAMES utf8mb4", "SET", {"NAMES", "utf8mb4"}},
        {"set\tautocommit=1", "SET", {"autocommit=1"}},
    };
    for (const auto& c : cases) {
        CAPTURE(c.sql);
        auto p = parse(c.sql);
        REQUIRE(p);
        CHECK(p->verb == c.verb);
        CHECK(p->args == c.args);
    }
    CHECK_FALSE(parse("SHOW"));
    CHECK_FALSE(parse("SHOWSERVERS"));
    CHECK_FALSE(parse(""));
    CHECK_FALSE(parse(";"));
    CHECK(split_words(" a  b\nc ; ") == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("admin: an unknown command is a 1064 that lists the verbs") {
    Fake f;
    auto e = err(dispatch(f.context(), "FOO bar;"));
    CHECK(e.code == 1064);
    CHECK(e.message.rfind("Unknown admin command: 'FOO bar'. Try: SHOW SERVERS, SHOW STATS, SHOW EVENTS",
                          0) == 0);
    CHECK(e.message.find("SWITCHOVER") != std::string::npos);
    CHECK(e.message.find(", SET,") ==
          std::string::npos);  // the client-compatibility verbs are not advertised
    CHECK(e.message.find("SET SERVER, SHOW POOLS, SHOW SESSIONS, SHOW QUERY DIGEST, PAUSE, RESUME") !=
          std::string::npos);
    CHECK(err(dispatch(f.context(), "SHOW SERVERS now")).code == 1064);
    CHECK(err(dispatch(f.context(), "SWITCHOVER db2")).message == "Usage: SWITCHOVER [TO name]");
    CHECK(err(dispatch(f.context(), "REJOIN")).message == "Usage: REJOIN name");
    CHECK(err(dispatch(f.context(), "FAILOVER NOW")).code == 1064);
}

TEST_CASE("admin: what clients send on connect") {
    Fake f;
    auto ctx = f.context();
    CHECK(cell(table(dispatch(ctx, "select @@version_comment limit 1")), 0, "@@version_comment") ==
          "Sluice admin console");
    CHECK(cell(table(dispatch(ctx, "SELECT DATABASE()")), 0, "DATABASE()") == "sluice");
    CHECK(cell(table(dispatch(ctx, "SELECT @@version")), 0, "@@version") == "1.2.3-sluice-admin");
    CHECK(cell(table(dispatch(ctx, "show databases")), 0, "Database") == "sluice");
    CHECK(table(dispatch(ctx, "SHOW WARNINGS")).rows.empty());
    CHECK(table(dispatch(ctx, "show tables")).rows.empty());
    CHECK(std::holds_alternative<Ok>(dispatch(ctx, "SET NAMES utf8")));
}

TEST_CASE("admin: SHOW VERSION, SERVERS, STATS, EVENTS and CONFIG") {
    Fake f;
    f.config.admin.password = "secret";
    f.config.monitor.password = "mon";
    f.config.backends = {{"db1", "10.0.0.1", 3306, 0, false}};
    auto ctx = f.context();
    CHECK(cell(table(dispatch(ctx, "SHOW VERSION")), 0, "version") == "1.2.3");

    Reply s_reply = dispatch(ctx, "show servers");  // the table lives in the reply
    const Table& s = table(s_reply);
    REQUIRE(s.rows.size() == 2);
    CHECK(cell(s, 0, "name") == "db1");
    CHECK(cell(s, 0, "role") == "primary");
    CHECK(cell(s, 0, "gtid_binlog_pos") == "0-1-42");
    CHECK(cell(s, 0, "read_only") == "0");
    CHECK(cell(s, 1, "port") == "3307");
    CHECK(cell(s, 1, "role") == "down");
    CHECK(cell(s, 1, "failures") == "4");
    CHECK(cell(s, 1, "read_only") == "NULL");
    CHECK(cell(s, 1, "error") == "Can't connect");

    Reply st_reply = dispatch(ctx, "SHOW STATS");  // the table lives in the reply
    const Table& st = table(st_reply);
    bool found = false;
    for (const auto& r : st.rows) found = found || (r.values[0] == "statements" && r.values[1] == "5");
    CHECK(found);

    Reply ev_reply = dispatch(ctx, "SHOW EVENTS");  // the table lives in the reply
    const Table& ev = table(ev_reply);
    REQUIRE(ev.rows.size() == 1);
    CHECK(cell(ev, 0, "kind") == "switchover");
    CHECK(cell(ev, 0, "new_primary") == "db2");
    CHECK(cell(ev, 0, "steps") == "db2: promote ok 12ms");

    Reply c_reply = dispatch(ctx, "SHOW CONFIG");  // the table lives in the reply
    const Table& c = table(c_reply);
    std::map<std::string, std::string> kv;
    for (const auto& r : c.rows) kv[*r.values[0]] = *r.values[1];
    CHECK(kv.at("admin.password") == "********");
    CHECK(kv.at("monitor.password") == "********");
    CHECK(kv.at("backends.db1") == "10.0.0.1:3306 priority=0 never_promote=no");
    CHECK(kv.at("listen") == "127.0.0.1:6033");
    CHECK(kv.at("monitor.semi_sync") == "auto");
    CHECK(kv.at("routing.read_write_split") == "yes");
    CHECK(kv.at("routing.consistency") == "session");
    CHECK(kv.at("routing.max_replication_lag_ms") == "30000");
    for (const auto& [k, v] : kv) CHECK(v.find("secret") == std::string::npos);
}

TEST_CASE("admin: SWITCHOVER, FAILOVER and REJOIN are operations that call the monitor when run") {
    Fake f;
    auto ctx = f.context();
    auto r = dispatch(ctx, "SWITCHOVER TO db2");
    REQUIRE(std::holds_alternative<Operation>(r));
    CHECK(std::get<Operation>(r).what == "SWITCHOVER TO db2");
    CHECK_FALSE(f.switch_target);  // not run yet: the session runs it off the loop
    CHECK(std::get<Operation>(r).run().message == "switched");
    CHECK(f.switch_target == "db2");

    r = dispatch(ctx, "switchover");
    REQUIRE(std::holds_alternative<Operation>(r));
    (void)std::get<Operation>(r).run();
    CHECK_FALSE(f.switch_target);

    r = dispatch(ctx, "failover to db3 force");
    REQUIRE(std::holds_alternative<Operation>(r));
    CHECK_FALSE(std::get<Operation>(r).run().ok);
    CHECK(f.failover_target == "db3");
    CHECK(f.failover_force);

    r = dispatch(ctx, "FAILOVER FORCE");
    REQUIRE(std::holds_alternative<Operation>(r));
    (void)std::get<Operation>(r).run();
    CHECK_FALSE(f.failover_target);
    CHECK(f.failover_force);

    r = dispatch(ctx, "REJOIN db1;");
    REQUIRE(std::holds_alternative<Operation>(r));
    (void)std::get<Operation>(r).run();
    CHECK(f.rejoined == "db1");
}

TEST_CASE("admin: SET SERVER is an operation on the monitor; bad words are 1064 with the usage") {
    Fake f;
    auto ctx = f.context();
    auto r = dispatch(ctx, "set server db2 maintenance;");
    REQUIRE(std::holds_alternative<Operation>(r));
    CHECK(std::get<Operation>(r).what == "SET SERVER db2 MAINTENANCE");
    CHECK(std::get<Operation>(r).run().message == "db2 is maintenance");
    CHECK(f.override_name == "db2");
    CHECK(f.override_to == health::Override::maintenance);
    (void)std::get<Operation>(dispatch(ctx, "SET SERVER db2 DRAIN")).run();
    CHECK(f.override_to == health::Override::draining);
    (void)std::get<Operation>(dispatch(ctx, "SET SERVER db2 online")).run();
    CHECK(f.override_to == health::Override::online);
    CHECK(err(dispatch(ctx, "SET SERVER db2")).message ==
          "Usage: SET SERVER name MAINTENANCE | DRAIN | ONLINE");
    CHECK(err(dispatch(ctx, "SET SERVER db2 OFFLINE")).message.find("unknown state 'OFFLINE'") !=
          std::string::npos);
    CHECK(std::holds_alternative<Ok>(dispatch(ctx, "SET server_id=1")));  // still a client's SET
}

TEST_CASE("admin: SHOW POOLS, SHOW SESSIONS, SHOW QUERY DIGEST") {
    Fake f;
    f.config.backends = {{"db1", "10.0.0.1", 3306, 0, false}};
    auto ctx = f.context();
    Reply p_reply = dispatch(ctx, "SHOW POOLS");
    const Table& p = table(p_reply);
    REQUIRE(p.rows.size() == 1);
    CHECK(cell(p, 0, "worker") == "1");
    CHECK(cell(p, 0, "backend") == "db1");
    CHECK(cell(p, 0, "idle") == "2");
    CHECK(cell(p, 0, "in_use") == "3");
    CHECK(cell(p, 0, "resetting") == "1");
    CHECK(cell(p, 0, "opened") == "9");

    Reply s_reply = dispatch(ctx, "show sessions");
    const Table& s = table(s_reply);
    REQUIRE(s.rows.size() == 2);
    CHECK(cell(s, 0, "id") == "1073741824");
    CHECK(cell(s, 0, "user") == "app");
    CHECK(cell(s, 0, "db") == "shop");
    CHECK(cell(s, 0, "in_transaction") == "yes");
    CHECK(cell(s, 0, "backends") == "db1");
    CHECK(cell(s, 0, "statement") == "SELECT SLEEP(5)");
    CHECK(std::stoi(cell(s, 0, "statement_ms")) >= 1500);
    CHECK(cell(s, 1, "statement") == "NULL");
    CHECK(cell(s, 1, "statement_ms") == "NULL");

    Reply d_reply = dispatch(ctx, "SHOW QUERY DIGEST LIMIT 5");
    const Table& d = table(d_reply);
    CHECK(f.digest_limit == 5);
    REQUIRE(d.rows.size() == 1);
    CHECK(cell(d, 0, "digest") == "0x0000000000000ABC");
    CHECK(cell(d, 0, "fingerprint") == "SELECT ?");
    CHECK(cell(d, 0, "count") == "4");
    CHECK(cell(d, 0, "avg_us") == "25");
    CHECK(cell(d, 0, "rows_sent") == "4");
    (void)dispatch(ctx, "SHOW QUERY DIGEST");
    CHECK(f.digest_limit == 0);
    CHECK(err(dispatch(ctx, "SHOW QUERY DIGEST LIMIT x")).code == 1064);
    CHECK(err(dispatch(ctx, "SHOW QUERY DIGEST 5")).message == "Usage: SHOW QUERY DIGEST [LIMIT n]");
}

TEST_CASE("admin: PAUSE, RESUME, KILL SESSION, SHUTDOWN, RELOAD CONFIG") {
    Fake f;
    auto ctx = f.context();
    CHECK(std::get<Ok>(dispatch(ctx, "PAUSE")).info == "paused: new statements wait until RESUME");
    CHECK(f.paused);
    CHECK(std::get<Ok>(dispatch(ctx, "pause")).info == "already paused");
    CHECK(std::get<Ok>(dispatch(ctx, "RESUME")).info == "resumed");
    CHECK_FALSE(f.paused);
    CHECK(std::get<Ok>(dispatch(ctx, "RESUME")).info == "not paused");

    CHECK(std::holds_alternative<Ok>(dispatch(ctx, "KILL SESSION 7")));
    auto unknown = err(dispatch(ctx, "KILL SESSION 8"));
    CHECK(unknown.code == 1094);
    CHECK(unknown.sql_state == "HY000");
    CHECK(unknown.message == "Unknown session id: 8");
    CHECK(f.killed == std::vector<std::uint32_t>{7, 8});
    CHECK(err(dispatch(ctx, "KILL SESSION x")).code == 1064);
    CHECK(err(dispatch(ctx, "KILL SESSION")).code == 1064);

    CHECK(err(dispatch(ctx, "SHUTDOWN NOW")).message == "Usage: SHUTDOWN [GRACEFUL]");
    CHECK_FALSE(f.shutdown_graceful);
    CHECK(std::holds_alternative<Ok>(dispatch(ctx, "shutdown graceful")));
    CHECK(f.shutdown_graceful == true);
    CHECK(std::holds_alternative<Ok>(dispatch(ctx, "SHUTDOWN")));
    CHECK(f.shutdown_graceful == false);

    auto reload = dispatch(ctx, "RELOAD CONFIG");
    REQUIRE(std::holds_alternative<Operation>(reload));  // the session turns a failure into ERR 1105
    auto result = std::get<Operation>(reload).run();
    CHECK_FALSE(result.ok);
    CHECK(result.message == "conf.yaml:3: limits.workers: not a number");
}
