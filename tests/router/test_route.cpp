// The routing function's table: each rule in each session state and topology. A row is
// {sql, session, topology, "target backend [error=...] [record] [pin] [lock] [wait=GTID]"}; fixtures are in
// route_fixtures.hpp (db1 is the primary, db2 and db3 replicas; a fresh round-robin cursor picks db2 on a
// tie).

#include <doctest/doctest.h>

#include <string>

#include "route_fixtures.hpp"
#include "router/classify.hpp"
#include "router/route.hpp"

using namespace sluice::router;
using namespace sluice::router::test;

namespace {

struct RouteRow {
    const char* sql;
    S session;
    T topology;
    const char* expected;
};

template <std::size_t N>
void check_routes(const RouteRow (&rows)[N]) {
    for (const RouteRow& r : rows) {
        SessionState s = session(r.session);
        TopologyView v = topology(r.topology);
        RouteState rr;
        RoutePlan p = route(classify(r.sql), s, v, rr);
        INFO("sql: " << std::string(r.sql) << "  session #" << static_cast<int>(r.session) << "  topology #"
                     << static_cast<int>(r.topology) << "  reason: " << p.reason);
        CHECK(summary(p, v) == r.expected);
        CHECK_FALSE(p.reason.empty());
    }
}

}  // namespace

TEST_CASE("router route: session commands go to every backend") {
    const RouteRow rows[] = {
        {"SET @a = 1", S::fresh, T::normal, "all db1 record"},
        {"SET NAMES utf8mb4", S::fresh, T::normal, "all db1 record"},
        {"USE shop", S::fresh, T::normal, "all db1 record"},
        {"SET autocommit = 0", S::fresh, T::normal, "all db1 record"},
        {"SET SESSION sql_mode = 'ANSI'", S::in_trx, T::normal, "all db1 record"},
        {"SET NAMES utf8", S::ro_trx_db3, T::normal, "all db1 record"},
        {"SET autocommit = 1", S::autocommit_off, T::normal, "all db1 record"},
        {"SET @a = 1", S::locked, T::normal, "all db1 record"},
        {"SET TRANSACTION READ ONLY", S::fresh, T::normal, "all db1"},
        {"SET SESSION TRANSACTION READ ONLY", S::fresh, T::normal, "all db1 record"},
        {"PREPARE s FROM 'SELECT * FROM t'", S::fresh, T::normal, "all db1 record"},
        {"DEALLOCATE PREPARE s", S::fresh, T::normal, "all db1 record"},
        {"/* sluice: replica */ SET @a = 1", S::fresh, T::normal, "all db1 record"},
        {"/* sluice: backend=db2 */ USE shop", S::fresh, T::normal, "all db1 record"},
        {"SET @a = 1", S::fresh, T::no_primary, "all - record"},
        {"SET @a = 1", S::ro_trx_db3, T::no_primary, "all db3 record"},
        {"SET GLOBAL max_connections = 10", S::fresh, T::normal, "primary db1"},
        {"SET GLOBAL a = 1, b = 2", S::fresh, T::normal, "primary db1 lock"},
        {"SET @u = UUID()", S::fresh, T::normal, "primary db1"},
        {"SET @x = (SELECT MAX(id) FROM t)", S::fresh, T::normal, "primary db1"},
        {"SET sql_mode = (SELECT @@GLOBAL.sql_mode)", S::fresh, T::normal, "primary db1 lock"},
        {"SET GLOBAL max_connections = 10", S::fresh, T::no_primary, "primary - error=no_primary"},
    };
    check_routes(rows);
}

TEST_CASE("router route: sessions locked to the primary") {
    const RouteRow rows[] = {
        {"SELECT 1", S::locked, T::normal, "primary db1"},
        {"SELECT 1", S::tables_locked, T::normal, "primary db1"},
        {"SELECT 1", S::overflowed, T::normal, "primary db1"},
        {"/* sluice: replica */ SELECT 1", S::locked, T::normal, "primary db1"},
        {"/* sluice: backend=db3 */ SELECT 1", S::tables_locked, T::normal, "primary db1"},
        {"START TRANSACTION READ ONLY", S::locked, T::normal, "primary db1"},
        {"SELECT * FROM tmp", S::locked, T::normal, "primary db1"},
        {"SELECT 1; SET @a = 1", S::fresh, T::normal, "primary db1 lock"},
        {"SELECT 1; USE other", S::fresh, T::normal, "primary db1 lock"},
        {"SELECT 1; CREATE TEMPORARY TABLE tmp (a INT)", S::fresh, T::normal, "primary db1 lock"},
        {"EXECUTE IMMEDIATE 'SET @a = 1'", S::fresh, T::normal, "primary db1 lock"},
        {"SELECT 1; SELECT 2", S::fresh, T::normal, "primary db1"},
        {"/* sluice: replica */ SELECT 1; SELECT 2", S::fresh, T::normal, "primary db1"},
        {"SELECT 1", S::locked, T::no_primary, "primary - error=no_primary"},
    };
    check_routes(rows);
}

TEST_CASE("router route: transactions") {
    const RouteRow rows[] = {
        {"BEGIN", S::fresh, T::normal, "primary db1 pin"},
        {"START TRANSACTION", S::fresh, T::normal, "primary db1 pin"},
        {"START TRANSACTION WITH CONSISTENT SNAPSHOT", S::fresh, T::normal, "primary db1 pin"},
        {"START TRANSACTION READ WRITE", S::fresh, T::normal, "primary db1 pin"},
        {"START TRANSACTION READ ONLY", S::fresh, T::normal, "replica db2 pin"},
        {"START TRANSACTION READ ONLY", S::fresh, T::busy_db2, "replica db3 pin"},
        {"START TRANSACTION READ ONLY", S::fresh, T::lag_db2, "replica db3 pin"},
        {"START TRANSACTION READ ONLY", S::fresh, T::lag_all, "primary db1 pin"},
        {"START TRANSACTION READ ONLY", S::fresh, T::replicas_down, "primary db1 pin"},
        {"START TRANSACTION READ ONLY", S::fresh, T::fallback_error, "replica - error=no_replica"},
        {"START TRANSACTION READ ONLY", S::wrote_gtid, T::consistency, "replica db2 pin wait=0-1-42"},
        {"START TRANSACTION READ ONLY", S::wrote_no_gtid, T::consistency, "primary db1 pin"},
        {"START TRANSACTION READ ONLY", S::autocommit_off, T::normal, "replica db2 pin"},
        {"START TRANSACTION READ WRITE", S::session_ro, T::normal, "primary db1 pin"},
        {"BEGIN", S::next_ro, T::normal, "replica db2 pin"},
        {"BEGIN", S::session_ro, T::normal, "replica db2 pin"},
        {"START TRANSACTION READ ONLY", S::trx_primary, T::normal, "primary db1 pin"},
        {"START TRANSACTION READ ONLY", S::ro_trx_db3, T::normal, "replica db3 pin"},
        {"START TRANSACTION READ ONLY", S::in_trx, T::normal, "primary db1 pin"},
        {"BEGIN", S::ro_trx_db3, T::normal, "primary db1 pin"},
        {"BEGIN", S::trx_primary, T::normal, "primary db1 pin"},
        {"/* sluice: replica */ BEGIN", S::fresh, T::normal, "primary db1 pin"},
        {"/* sluice: primary */ START TRANSACTION READ ONLY", S::fresh, T::normal, "replica db2 pin"},
        {"BEGIN", S::fresh, T::no_primary, "primary - error=no_primary"},
        {"SELECT 1", S::in_trx, T::normal, "primary db1"},
        {"SELECT 1", S::trx_primary, T::normal, "primary db1"},
        {"SELECT 1", S::autocommit_off, T::normal, "primary db1"},
        {"SHOW TABLES", S::autocommit_off, T::normal, "primary db1"},
        {"SELECT 1", S::ro_trx_db3, T::normal, "replica db3"},
        {"SELECT 1", S::ro_trx_db3, T::lag_all, "replica db3"},
        {"SELECT * FROM t FOR UPDATE", S::ro_trx_db3, T::normal, "replica db3"},
        {"INSERT INTO t VALUES (1)", S::ro_trx_db3, T::normal, "replica db3"},
        {"SHOW WARNINGS", S::ro_trx_db3, T::normal, "replica db3"},
        {"SELECT 1", S::ro_trx_db2_ac0, T::normal, "replica db2"},
        {"COMMIT", S::ro_trx_db3, T::normal, "replica db3"},
        {"ROLLBACK", S::ro_trx_db3, T::normal, "replica db3"},
        {"COMMIT", S::trx_primary, T::normal, "primary db1"},
        {"SAVEPOINT a", S::trx_primary, T::normal, "primary db1"},
        {"COMMIT", S::fresh, T::normal, "primary db1"},
        {"ROLLBACK", S::fresh, T::normal, "primary db1"},
        {"XA START 'x'", S::fresh, T::normal, "primary db1"},
        {"SELECT 1", S::ro_trx_db3, T::db3_down, "named - error=backend_unavailable"},
        {"COMMIT", S::ro_trx_db3, T::db3_down, "named - error=backend_unavailable"},
        {"SELECT 1", S::ro_trx_db3, T::maintenance, "replica db3"},
        {"/* sluice: replica */ SELECT 1", S::trx_primary, T::normal, "primary db1"},
        {"/* sluice: backend=db3 */ SELECT 1", S::in_trx, T::normal, "primary db1"},
        {"/* sluice: primary */ SELECT 1", S::ro_trx_db3, T::normal, "replica db3"},
        {"SELECT 1", S::in_trx, T::no_primary, "primary - error=no_primary"},
    };
    check_routes(rows);
}

TEST_CASE("router route: statements follow their partner") {
    const RouteRow rows[] = {
        {"SELECT * FROM tmp", S::temp_db1, T::normal, "primary db1"},
        {"SELECT * FROM app.tmp", S::temp_db1, T::normal, "primary db1"},
        {"SELECT * FROM other.tmp", S::temp_db1, T::normal, "replica db2"},
        {"SELECT * FROM TMP", S::temp_db1, T::normal, "replica db2"},
        {"SELECT * FROM t JOIN tmp ON 1", S::temp_db3, T::normal, "named db3"},
        {"SELECT * FROM t WHERE a IN (SELECT a FROM tmp)", S::temp_db1, T::normal, "primary db1"},
        {"INSERT INTO tmp VALUES (1)", S::temp_db3, T::normal, "named db3"},
        {"DROP TEMPORARY TABLE tmp", S::temp_db3, T::normal, "named db3"},
        {"SHOW CREATE TABLE tmp", S::temp_db1, T::normal, "primary db1"},
        {"DESCRIBE tmp", S::temp_db3, T::normal, "named db3"},
        {"/* sluice: replica */ SELECT * FROM tmp", S::temp_db1, T::normal, "primary db1"},
        {"/* sluice: primary */ SELECT * FROM tmp", S::temp_db3, T::normal, "named db3"},
        {"SELECT * FROM tmp", S::temp_db3, T::db3_down, "named - error=backend_unavailable"},
        {"SELECT * FROM tmp", S::temp_db3, T::maintenance, "named db3"},
        {"SELECT * FROM tmp", S::temp_db1, T::no_primary, "named - error=backend_unavailable"},
        {"SELECT FOUND_ROWS()", S::found_rows_db3, T::normal, "named db3"},
        {"SELECT FOUND_ROWS()", S::last_db2, T::normal, "named db2"},
        {"SELECT FOUND_ROWS()", S::fresh, T::normal, "primary db1"},
        {"SELECT FOUND_ROWS()", S::found_rows_db3, T::db3_down, "named - error=backend_unavailable"},
        {"/* sluice: primary */ SELECT FOUND_ROWS()", S::found_rows_db3, T::normal, "named db3"},
        {"SELECT @x", S::var_db1, T::normal, "primary db1"},
        {"SELECT * FROM t WHERE a = @x", S::var_db3, T::normal, "named db3"},
        {"SELECT @y", S::var_db1, T::normal, "replica db2"},
        {"SELECT @y", S::fresh, T::normal, "replica db2"},
        {"INSERT INTO t VALUES (@x)", S::var_db3, T::normal, "primary db1"},
        {"SHOW WARNINGS", S::last_db3, T::normal, "named db3"},
        {"SHOW ERRORS", S::last_db2, T::normal, "named db2"},
        {"SHOW WARNINGS", S::last_db2, T::replicas_down, "primary db1"},
        {"SHOW WARNINGS", S::fresh, T::normal, "primary db1"},
        {"SELECT @@warning_count", S::last_db2, T::normal, "named db2"},
        {"GET DIAGNOSTICS @n = NUMBER", S::last_db3, T::normal, "named db3"},
        {"SHOW STATUS LIKE 'Last_query_cost'", S::last_db3, T::normal, "named db3"},
        {"/* sluice: primary */ SHOW WARNINGS", S::last_db3, T::normal, "named db3"},
        {"EXECUTE rs", S::prepared, T::normal, "replica db2"},
        {"EXECUTE rs USING @a", S::prepared, T::busy_db2, "replica db3"},
        {"EXECUTE rs", S::prepared, T::lag_all, "primary db1"},
        {"EXECUTE ws", S::prepared, T::normal, "primary db1"},
        {"EXECUTE nope", S::prepared, T::normal, "primary db1"},
        {"/* sluice: replica */ EXECUTE ws", S::prepared, T::normal, "primary db1"},
        {"/* sluice: primary */ EXECUTE rs", S::prepared, T::normal, "primary db1"},
        {"EXECUTE IMMEDIATE 'SELECT 1'", S::fresh, T::normal, "replica db2"},
        {"EXECUTE IMMEDIATE 'DELETE FROM t'", S::fresh, T::normal, "primary db1"},
    };
    check_routes(rows);
}

TEST_CASE("router route: hints") {
    const RouteRow rows[] = {
        {"/* sluice: primary */ SELECT 1", S::fresh, T::normal, "primary db1"},
        {"/* sluice: replica */ SELECT 1", S::fresh, T::normal, "replica db2"},
        {"SELECT 1 /* sluice: replica */", S::fresh, T::busy_db2, "replica db3"},
        {"/* sluice: replica */ SELECT 1", S::fresh, T::lag_all, "primary db1"},
        {"/* sluice: replica */ SELECT 1", S::fresh, T::fallback_error, "replica - error=no_replica"},
        {"/* sluice: backend=db3 */ SELECT 1", S::fresh, T::normal, "named db3"},
        {"/* sluice: backend=db3 */ SELECT 1", S::fresh, T::lag_all, "named db3"},
        {"/* sluice: backend=db1 */ SELECT 1", S::fresh, T::normal, "primary db1"},
        {"/* sluice: backend=db9 */ SELECT 1", S::fresh, T::normal, "replica db2"},
        {"/* sluice: backend=db3 */ SELECT 1", S::fresh, T::db3_down, "replica db2"},
        {"/* sluice: backend=db2 */ SELECT 1", S::fresh, T::maintenance, "primary db1"},
        {"/* sluice: backend=db3 */ SELECT 1", S::fresh, T::maintenance, "primary db1"},
        {"/* sluice: bogus */ SELECT 1", S::fresh, T::normal, "replica db2"},
        {"/* sluice: primary */ SELECT 1", S::fresh, T::no_primary, "primary - error=no_primary"},
        {"/* sluice: replica */ SELECT 1", S::wrote_gtid, T::consistency, "replica db2 wait=0-1-42"},
        {"/* sluice: replica */ SELECT 1", S::wrote_no_gtid, T::consistency, "primary db1"},
        {"/* sluice: replica */ SELECT my_func(1)", S::fresh, T::normal, "replica db2"},
        {"/* sluice: backend=db2 */ SHOW SLAVE STATUS", S::fresh, T::normal, "named db2"},
        {"/* sluice: replica */ SHOW PROCESSLIST", S::fresh, T::normal, "replica db2"},
        {"/* sluice: primary */ SHOW TABLES", S::fresh, T::normal, "primary db1"},
        {"/* sluice: replica */ DO SLEEP(1)", S::fresh, T::normal, "replica db2"},
        {"/* sluice: replica */ CHECK TABLE t", S::fresh, T::normal, "replica db2"},
        // A hint never sends a write (or what must stay with the primary) elsewhere: it is ignored.
        {"/* sluice: replica */ INSERT INTO t VALUES (1)", S::fresh, T::normal, "primary db1"},
        {"/* sluice: backend=db2 */ UPDATE t SET a = 1", S::fresh, T::normal, "primary db1"},
        {"/* sluice: backend=db1 */ UPDATE t SET a = 1", S::fresh, T::normal, "primary db1"},
        {"/* sluice: replica */ DELETE FROM t", S::fresh, T::normal, "primary db1"},
        {"/* sluice: replica */ CREATE TABLE t (a INT)", S::fresh, T::normal, "primary db1"},
        {"/* sluice: replica */ SELECT * FROM t FOR UPDATE", S::fresh, T::normal, "primary db1"},
        {"/* sluice: replica */ SELECT LAST_INSERT_ID()", S::fresh, T::normal, "primary db1"},
        {"/* sluice: backend=db3 */ SELECT GET_LOCK('a', 1)", S::fresh, T::normal, "primary db1"},
        {"/* sluice: replica */ SELECT @x := 1", S::fresh, T::normal, "primary db1"},
        {"/* sluice: replica */ CALL p()", S::fresh, T::normal, "primary db1"},
        {"/* sluice: replica */ LOCK TABLES t READ", S::fresh, T::normal, "primary db1"},
        {"/* sluice: replica */ FOO BAR", S::fresh, T::normal, "primary db1"},
        {"/* sluice: replica */ INSERT INTO t VALUES (1)", S::fresh, T::no_primary,
         "primary - error=no_primary"},
    };
    check_routes(rows);
}

TEST_CASE("router route: placement, replica choice and fallback") {
    const RouteRow rows[] = {
        {"SELECT 1", S::fresh, T::normal, "replica db2"},
        {"SELECT * FROM t", S::fresh, T::busy_db2, "replica db3"},
        {"SELECT * FROM t", S::fresh, T::busy_db3, "replica db2"},
        {"SELECT * FROM t", S::fresh, T::lag_db2, "replica db3"},
        {"SELECT * FROM t", S::fresh, T::lag_all, "primary db1"},
        {"SELECT * FROM t", S::fresh, T::lag_unknown, "primary db1"},
        {"SELECT * FROM t", S::fresh, T::replicas_down, "primary db1"},
        {"SELECT * FROM t", S::fresh, T::maintenance, "primary db1"},
        {"SELECT * FROM t", S::fresh, T::fallback_error, "replica - error=no_replica"},
        {"SELECT * FROM t", S::fresh, T::no_primary, "replica db2"},
        {"SELECT * FROM t", S::fresh, T::no_limit, "replica db2"},
        {"SELECT * FROM t", S::fresh, T::db3_down, "replica db2"},
        {"SELECT * FROM t", S::fresh, T::consistency, "replica db2"},
        {"SELECT * FROM t", S::wrote_gtid, T::consistency, "replica db2 wait=0-1-42"},
        {"SELECT * FROM t", S::wrote_no_gtid, T::consistency, "primary db1"},
        {"SELECT * FROM t", S::wrote_gtid, T::normal, "replica db2"},
        {"SELECT * FROM t", S::wrote_no_gtid, T::normal, "replica db2"},
        {"INSERT INTO t VALUES (1)", S::wrote_gtid, T::consistency, "primary db1"},
        {"SELECT * FROM t", S::wrote_gtid, T::lag_all, "primary db1"},
        {"INSERT INTO t VALUES (1)", S::fresh, T::normal, "primary db1"},
        {"UPDATE t SET a = 1", S::fresh, T::normal, "primary db1"},
        {"DELETE FROM t", S::fresh, T::normal, "primary db1"},
        {"REPLACE INTO t VALUES (1)", S::fresh, T::normal, "primary db1"},
        {"LOAD DATA INFILE 'x' INTO TABLE t", S::fresh, T::normal, "primary db1"},
        {"CREATE TABLE t (a INT)", S::fresh, T::normal, "primary db1"},
        {"CREATE TEMPORARY TABLE tmp (a INT)", S::fresh, T::normal, "primary db1"},
        {"DROP TABLE t", S::fresh, T::normal, "primary db1"},
        {"INSERT INTO t VALUES (1)", S::fresh, T::no_primary, "primary - error=no_primary"},
        {"SELECT * FROM t FOR UPDATE", S::fresh, T::normal, "primary db1"},
        {"SELECT * FROM t LOCK IN SHARE MODE", S::fresh, T::normal, "primary db1"},
        {"SELECT LAST_INSERT_ID()", S::fresh, T::normal, "primary db1"},
        {"SELECT NEXT VALUE FOR s", S::fresh, T::normal, "primary db1"},
        {"SELECT GET_LOCK('a', 1)", S::fresh, T::normal, "primary db1"},
        {"SELECT @@identity", S::fresh, T::normal, "primary db1"},
        {"SELECT a INTO @x FROM t", S::fresh, T::normal, "primary db1"},
        {"SELECT * FROM t INTO OUTFILE '/tmp/x'", S::fresh, T::normal, "primary db1"},
        {"SELECT my_func()", S::fresh, T::normal, "primary db1"},
        {"SELECT @@read_only", S::fresh, T::normal, "primary db1"},
        {"SELECT @@version, @@max_allowed_packet", S::fresh, T::normal, "replica db2"},
        {"/* sluice: backend=db2 */ SELECT @@read_only", S::fresh, T::normal, "named db2"},
        {"SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 1", S::fresh, T::normal, "replica db2"},
        {"CALL p()", S::fresh, T::normal, "primary db1"},
        {"DO 1", S::fresh, T::normal, "primary db1"},
        {"SHOW TABLES", S::fresh, T::normal, "replica db2"},
        {"SHOW CREATE TABLE t", S::fresh, T::busy_db2, "replica db3"},
        {"SHOW MASTER STATUS", S::fresh, T::normal, "primary db1"},
        {"SHOW SLAVE STATUS", S::fresh, T::normal, "primary db1"},
        {"SHOW PROCESSLIST", S::fresh, T::normal, "primary db1"},
        {"SHOW VARIABLES", S::fresh, T::normal, "primary db1"},
        {"DESCRIBE t", S::fresh, T::normal, "replica db2"},
        {"EXPLAIN SELECT * FROM t", S::fresh, T::normal, "replica db2"},
        {"EXPLAIN UPDATE t SET a = 1", S::fresh, T::normal, "primary db1"},
        {"HELP 'SELECT'", S::fresh, T::normal, "replica db2"},
        {"TABLE t", S::fresh, T::normal, "replica db2"},
        {"VALUES (1)", S::fresh, T::normal, "replica db2"},
        {"WITH c AS (SELECT 1) SELECT * FROM c", S::fresh, T::normal, "replica db2"},
        {"WITH c AS (SELECT 1) DELETE FROM t", S::fresh, T::normal, "primary db1"},
        {"LOCK TABLES t READ", S::fresh, T::normal, "primary db1"},
        {"UNLOCK TABLES", S::tables_locked, T::normal, "primary db1"},
        {"HANDLER t OPEN", S::fresh, T::normal, "primary db1"},
        {"KILL 5", S::fresh, T::normal, "primary db1"},
        {"FLUSH TABLES", S::fresh, T::normal, "primary db1"},
        {"GRANT SELECT ON *.* TO u", S::fresh, T::normal, "primary db1"},
        {"FOO BAR", S::fresh, T::normal, "primary db1"},
        {"SELECT 'unterminated", S::fresh, T::normal, "primary db1"},
        {"", S::fresh, T::normal, "primary db1"},
    };
    check_routes(rows);
}
