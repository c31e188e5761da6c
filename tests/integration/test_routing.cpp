// The read/write split end to end (issue #5): the routing rules of router/route.hpp, observed on a real
// 1 primary + 2 replica cluster through the sluice binary. Which server ran a statement is read from
// t_route.whoami (routing_support.hpp says why not @@server_id).

#include <doctest/doctest.h>
#include <mysql.h>

#include <map>

#include "tests/integration/routing_support.hpp"

using namespace sluice::test;

namespace {

// The first column of the first row of every result of a multi-statement query.
std::vector<std::string> first_values(Conn& c, const std::string& sql) {
    std::vector<std::string> out;
    REQUIRE(mysql_real_query(c.raw(), sql.data(), sql.size()) == 0);
    int next = 0;
    do {
        if (MYSQL_RES* res = mysql_store_result(c.raw())) {
            if (MYSQL_ROW row = mysql_fetch_row(res)) out.push_back(row[0] ? row[0] : "NULL");
            mysql_free_result(res);
        }
        next = mysql_next_result(c.raw());
    } while (next == 0);
    CHECK_MESSAGE(next < 0, mysql_error(c.raw()));
    return out;
}

std::string who(Conn& c) {
    return answered_by(c);
}

}  // namespace

TEST_CASE("routing: autocommit reads go to the replicas, both of them in turn") {
    Routed r = routed();
    Conn c;
    connect_routed(c);
    std::map<std::string, long long> by;
    for (int i = 0; i < 20; ++i) {
        std::string sid = who(c);
        ++by[sid];
        CHECK_MESSAGE(r.nodes.is_replica(sid), "read " << i << " ran on server " << sid);
    }
    MESSAGE("20 autocommit reads: " << describe_split(by, r.nodes));
    CHECK(by.size() == 2);  // ties between idle replicas are broken round-robin
    // A read of a server variable goes to the primary on purpose (it differs between servers).
    CHECK(c.scalar("SELECT @@server_id") == r.nodes.primary());
}

TEST_CASE("routing: INSERT, UPDATE, DELETE and locking reads run on the primary; LAST_INSERT_ID() is right") {
    Routed r = routed();
    Conn c;
    connect_routed(c);
    REQUIRE_OK(c.exec("INSERT INTO t_route.items (v, sid) SELECT 'insert', sid FROM t_route.whoami"));
    std::string id = std::to_string(mysql_insert_id(c.raw()));
    CHECK(id != "0");
    CHECK(c.scalar("SELECT LAST_INSERT_ID()") == id);
    REQUIRE_OK(
        c.exec("UPDATE t_route.items SET v = 'updated', sid2 = (SELECT sid FROM t_route.whoami) "
               "WHERE id = " +
               id));
    CHECK(c.scalar("SELECT ROW_COUNT()") == "1");  // on the write's own connection

    Conn primary;
    connect_or_throw(primary, shared_cluster().app(0));
    std::vector<Row> rows;
    REQUIRE_OK(primary.exec("SELECT v, sid, sid2 FROM t_route.items WHERE id = " + id, &rows));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][0] == "updated");
    CHECK(rows[0][1] == r.nodes.primary());  // the INSERT ... SELECT read whoami on the primary
    CHECK(rows[0][2] == r.nodes.primary());  // so did the UPDATE

    // The DELETE matches only where whoami says primary: one row deleted means it ran there.
    REQUIRE_OK(c.exec("DELETE FROM t_route.items WHERE id = " + id +
                      " AND (SELECT sid FROM t_route.whoami) = " + r.nodes.primary()));
    CHECK(c.scalar("SELECT ROW_COUNT()") == "1");  // on the write's own connection
    CHECK(primary.scalar("SELECT COUNT(*) FROM t_route.items WHERE id = " + id) == "0");

    CHECK(c.scalar("SELECT sid FROM t_route.whoami FOR UPDATE") == r.nodes.primary());
    CHECK(c.scalar("SELECT sid FROM t_route.whoami LOCK IN SHARE MODE") == r.nodes.primary());
}

TEST_CASE("routing: BEGIN pins the primary; autocommit=0 reads on the primary until autocommit=1") {
    Routed r = routed();
    Conn c;
    connect_routed(c);
    REQUIRE_OK(c.exec("BEGIN"));
    for (int i = 0; i < 3; ++i) CHECK(who(c) == r.nodes.primary());
    CHECK(c.scalar("SELECT @@server_id") == r.nodes.primary());
    REQUIRE_OK(c.exec("COMMIT"));
    CHECK(r.nodes.is_replica(who(c)));

    REQUIRE_OK(c.exec("SET autocommit = 0"));
    for (int i = 0; i < 3; ++i) CHECK(who(c) == r.nodes.primary());
    REQUIRE_OK(c.exec("COMMIT"));
    CHECK(who(c) == r.nodes.primary());  // still autocommit=0: a new transaction has begun
    REQUIRE_OK(c.exec("SET autocommit = 1"));
    std::string after = who(c);
    CHECK_MESSAGE(r.nodes.is_replica(after), "after SET autocommit=1 a read ran on server " << after);
}

TEST_CASE("routing: START TRANSACTION READ ONLY runs whole on one replica") {
    Routed r = routed();
    Conn c;
    connect_routed(c);
    for (int round = 0; round < 3; ++round) {
        REQUIRE_OK(c.exec("START TRANSACTION READ ONLY"));
        std::string first = who(c);
        CHECK_MESSAGE(r.nodes.is_replica(first), "read-only transaction on server " << first);
        for (int i = 0; i < 4; ++i) CHECK(who(c) == first);
        CHECK(c.scalar("SELECT COUNT(*) FROM t_route.fixed") == "25");
        CHECK(who(c) == first);
        REQUIRE_OK(c.exec("COMMIT"));
        MESSAGE("read-only transaction " << round << " on server " << first);
    }
}

TEST_CASE("routing: session state follows the session to the replicas") {
    Routed r = routed();
    Conn c;
    connect_routed(c);
    SUBCASE("a user variable set with SET") {
        REQUIRE_OK(c.exec("SET @a = 1"));
        std::vector<Row> rows;
        REQUIRE_OK(c.exec(std::string("SELECT @a, ") + kWho, &rows));
        REQUIRE(rows.size() == 1);
        CHECK(rows[0][0] == "1");
        MESSAGE("SELECT @a ran on server " << rows[0][1].value_or("NULL"));
        CHECK(c.scalar("SELECT @a + 1") == "2");
    }
    SUBCASE("USE, then an unqualified table of that database read on a replica") {
        REQUIRE_OK(c.exec("USE t_route_other"));
        std::vector<Row> rows;
        REQUIRE_OK(c.exec(std::string("SELECT x, ") + kWho + " FROM o ORDER BY x", &rows));
        REQUIRE(rows.size() == 3);
        CHECK(rows[2][0] == "3");
        CHECK(r.nodes.is_replica(rows[0][1].value_or("")));
        CHECK(c.scalar("SELECT DATABASE()") == "t_route_other");
    }
    SUBCASE("SET NAMES latin1 holds on the replica that answers") {
        REQUIRE_OK(c.exec("SET NAMES latin1"));
        for (int i = 0; i < 4; ++i) {  // both replicas, in turn
            std::vector<Row> rows;
            REQUIRE_OK(c.exec(std::string("SELECT @@character_set_client, ") + kWho, &rows));
            REQUIRE(rows.size() == 1);
            CHECK(rows[0][0] == "latin1");
            CHECK(r.nodes.is_replica(rows[0][1].value_or("")));
        }
    }
    SUBCASE("a temporary table is read where it was created") {
        REQUIRE_OK(c.exec("CREATE TEMPORARY TABLE tmp_rw (i INT)"));
        REQUIRE_OK(c.exec("INSERT INTO tmp_rw VALUES (1), (2), (3)"));
        CHECK(c.scalar("SELECT COUNT(*) FROM tmp_rw") == "3");
        std::vector<Row> rows;
        REQUIRE_OK(c.exec(std::string("SELECT SUM(i), ") + kWho + " FROM tmp_rw", &rows));
        REQUIRE(rows.size() == 1);
        CHECK(rows[0][0] == "6");
        CHECK(rows[0][1] == r.nodes.primary());
        REQUIRE_OK(c.exec("DROP TEMPORARY TABLE tmp_rw"));
    }
    SUBCASE("FOUND_ROWS() after SELECT SQL_CALC_FOUND_ROWS") {
        for (int i = 0; i < 3; ++i) {
            std::vector<Row> rows;
            REQUIRE_OK(c.exec(std::string("SELECT SQL_CALC_FOUND_ROWS id, ") + kWho +
                                  " FROM t_route.fixed ORDER BY id LIMIT 1",
                              &rows));
            REQUIRE(rows.size() == 1);
            CHECK(r.nodes.is_replica(rows[0][1].value_or("")));
            CHECK(c.scalar("SELECT FOUND_ROWS()") == "25");
        }
    }
}

TEST_CASE("routing: hints choose the primary, a replica or a named backend; never a write to a replica") {
    Routed r = routed();
    Conn c;
    connect_routed(c);
    CHECK(c.scalar("/* sluice: primary */ SELECT @@server_id") == r.nodes.primary());
    CHECK(c.scalar(std::string("/* sluice: primary */ SELECT ") + kWho) == r.nodes.primary());
    std::string hinted = c.scalar("/* sluice: replica */ SELECT @@server_id");
    CHECK_MESSAGE(r.nodes.is_replica(hinted), "replica hint ran on server " << hinted);
    // Backend names come from the generated config: db1, db2, db3 in node order.
    for (int node = 0; node < 3; ++node) {
        std::string name = "db" + std::to_string(node + 1);
        CAPTURE(name);
        CHECK(c.scalar("/* sluice: backend=" + name + " */ SELECT @@server_id") == r.nodes.server_ids[node]);
    }
    // An unknown backend name is ignored: normal routing, a replica for a plain read.
    CHECK(r.nodes.is_replica(c.scalar(std::string("/* sluice: backend=nosuch */ SELECT ") + kWho)));
    // A replica hint on a write is ignored: it runs on the primary.
    REQUIRE_OK(
        c.exec("/* sluice: replica */ INSERT INTO t_route.items (v, sid) SELECT 'hinted', sid FROM "
               "t_route.whoami"));
    Conn primary;
    connect_or_throw(primary, shared_cluster().app(0));
    CHECK(primary.scalar("SELECT sid FROM t_route.items WHERE id = " +
                         std::to_string(mysql_insert_id(c.raw()))) == r.nodes.primary());
}

TEST_CASE("routing: GET_LOCK and RELEASE_LOCK in one session") {
    Conn c, other;
    connect_routed(c);
    connect_routed(other);
    CHECK(c.scalar("SELECT GET_LOCK('sluice_rw_lock', 5)") == "1");
    CHECK(other.scalar("SELECT IS_FREE_LOCK('sluice_rw_lock')") == "0");
    CHECK(c.scalar("SELECT COUNT(*) FROM t_route.fixed") == "25");  // a read while the lock is held
    // 1 = released by its owner: RELEASE_LOCK ran on the connection that took the lock.
    CHECK(c.scalar("SELECT RELEASE_LOCK('sluice_rw_lock')") == "1");
    CHECK(other.scalar("SELECT IS_FREE_LOCK('sluice_rw_lock')") == "1");
}

TEST_CASE("routing: a multi-statement query runs on the primary") {
    Routed r = routed();
    Conn c;
    connect_routed(c);
    std::string q = std::string("SELECT ") + kWho + "; SELECT " + kWho;
    auto values = first_values(c, q);
    REQUIRE(values.size() == 2);
    CHECK(values[0] == r.nodes.primary());
    CHECK(values[1] == r.nodes.primary());
}
