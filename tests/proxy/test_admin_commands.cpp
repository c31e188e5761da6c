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

    Context context() {
        Context ctx;
        ctx.config = &config;
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
    CHECK(e.message.find("SET") == std::string::npos);  // the client-compatibility verbs are not advertised
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
