// SessionState: what the proxy feeds it (status flags, executed statements, lost backends) and what it keeps.

#include <doctest/doctest.h>

#include "router/classify.hpp"
#include "router/session_state.hpp"

using namespace sluice::router;

namespace {

RoutePlan plan(Target target, bool pin = false, bool record = false, bool lock = false) {
    RoutePlan p;
    p.target = target;
    p.pin_transaction = pin;
    p.record_session_command = record;
    p.lock_to_primary = lock;
    return p;
}

void run(SessionState& s, const char* sql, const RoutePlan& p, std::string_view backend) {
    s.on_executed(classify(sql, ClassifyOptions{s.lexer_options}), p, backend);
}

}  // namespace

TEST_CASE("router session state: server status flags") {
    SessionState s;
    s.on_server_status(kStatusAutocommit | kStatusInTransaction | kStatusInTransactionReadOnly);
    CHECK(s.autocommit);
    CHECK(s.in_transaction);
    CHECK(s.transaction_read_only);
    s.transaction_backend = "db2";
    s.on_server_status(kStatusAutocommit | kStatusInTransaction);
    CHECK(s.transaction_backend == "db2");  // still inside: the pin stays
    s.on_server_status(kStatusAutocommit);
    CHECK_FALSE(s.in_transaction);
    CHECK_FALSE(
        s.transaction_backend.has_value());  // ended (COMMIT, ROLLBACK, implicit commit): pin released
    s.on_server_status(0);
    CHECK_FALSE(s.autocommit);
    s.on_server_status(kStatusAutocommit | kStatusNoBackslashEscapes);
    CHECK(s.lexer_options.no_backslash_escapes);
}

TEST_CASE("router session state: statements change it") {
    SessionState s;
    SUBCASE("settings") {
        run(s, "USE shop", plan(Target::all, false, true), "db1");
        CHECK(s.database == "shop");
        run(s, "SET NAMES utf8mb4", plan(Target::all, false, true), "db1");
        CHECK(s.charset == "utf8mb4");
        run(s, "SET autocommit = 0", plan(Target::all, false, true), "db1");
        CHECK_FALSE(s.autocommit);
        run(s, "SET sql_mode = 'ANSI_QUOTES,STRICT_ALL_TABLES'", plan(Target::all, false, true), "db1");
        CHECK(s.lexer_options.ansi_quotes);
        CHECK_FALSE(s.lexer_options.no_backslash_escapes);
        run(s, "SET sql_mode = 'NO_BACKSLASH_ESCAPES'", plan(Target::all, false, true), "db1");
        CHECK_FALSE(s.lexer_options.ansi_quotes);
        CHECK(s.lexer_options.no_backslash_escapes);
        CHECK(s.history.size() == 4);
        CHECK(s.last_backend == "db1");
    }
    SUBCASE("transaction read-only settings") {
        run(s, "SET TRANSACTION READ ONLY", plan(Target::all), "db1");
        CHECK(s.next_transaction_read_only);
        CHECK_FALSE(s.session_read_only);
        run(s, "START TRANSACTION", plan(Target::replica, true), "db2");
        CHECK_FALSE(s.next_transaction_read_only);  // used up
        CHECK(s.transaction_backend == "db2");
        run(s, "SET SESSION TRANSACTION READ ONLY", plan(Target::all, false, true), "db1");
        CHECK(s.session_read_only);
        run(s, "SET SESSION transaction_read_only = 0", plan(Target::all, false, true), "db1");
        CHECK_FALSE(s.session_read_only);
        run(s, "SET GLOBAL TRANSACTION READ ONLY", plan(Target::primary), "db1");
        CHECK_FALSE(s.session_read_only);
    }
    SUBCASE("temporary tables") {
        s.database = "app";
        run(s, "CREATE TEMPORARY TABLE tmp (a INT)", plan(Target::primary), "db1");
        run(s, "CREATE TEMPORARY TABLE other.t2 (a INT)", plan(Target::named), "db3");
        CHECK(s.temporary_tables.size() == 2);
        CHECK(s.temporary_table_backend(classify("SELECT * FROM tmp")) == "db1");
        CHECK(s.temporary_table_backend(classify("SELECT * FROM app.tmp")) == "db1");
        CHECK(s.temporary_table_backend(classify("SELECT * FROM x JOIN other.t2")) == "db3");
        CHECK_FALSE(s.temporary_table_backend(classify("SELECT * FROM t2")).has_value());
        CHECK_FALSE(s.temporary_table_backend(classify("SELECT * FROM TMP")).has_value());
        run(s, "DROP TABLE tmp", plan(Target::primary),
            "db1");  // a plain DROP drops the temporary table first
        CHECK(s.temporary_tables.size() == 1);
        run(s, "DROP TEMPORARY TABLE IF EXISTS other.t2", plan(Target::named), "db3");
        CHECK(s.temporary_tables.empty());
        run(s, "CREATE TABLE tmp (a INT)", plan(Target::primary), "db1");
        CHECK(s.temporary_tables.empty());
    }
    SUBCASE("locks") {
        run(s, "SELECT GET_LOCK('a', 1)", plan(Target::primary), "db1");
        run(s, "DO GET_LOCK('b', 1)", plan(Target::primary), "db1");
        CHECK(s.user_locks == 2);
        CHECK(s.locks_backend == "db1");
        run(s, "SELECT RELEASE_LOCK('a')", plan(Target::primary), "db1");
        CHECK(s.user_locks == 1);
        run(s, "SELECT RELEASE_ALL_LOCKS()", plan(Target::primary), "db1");
        CHECK(s.user_locks == 0);
        run(s, "SELECT RELEASE_LOCK('a')", plan(Target::primary), "db1");
        CHECK(s.user_locks == 0);
        run(s, "LOCK TABLES t READ", plan(Target::primary), "db1");
        CHECK(s.tables_locked);
        run(s, "UNLOCK TABLES", plan(Target::primary), "db1");
        CHECK_FALSE(s.tables_locked);
        run(s, "LOCK TABLES t WRITE", plan(Target::primary), "db1");
        run(s, "BEGIN", plan(Target::primary, true), "db1");  // starting a transaction releases table locks
        CHECK_FALSE(s.tables_locked);
    }
    SUBCASE("prepared statements, FOUND_ROWS partner, variables, writes") {
        run(s, "PREPARE r FROM 'SELECT * FROM t'", plan(Target::all, false, true), "db1");
        run(s, "PREPARE w FROM 'DELETE FROM t'", plan(Target::all, false, true), "db1");
        CHECK(s.prepared.at("r"));
        CHECK_FALSE(s.prepared.at("w"));
        run(s, "DEALLOCATE PREPARE r", plan(Target::all, false, true), "db1");
        CHECK(s.prepared.count("r") == 0);
        CHECK(s.history.size() == 1);

        run(s, "SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 1", plan(Target::replica), "db3");
        CHECK(s.last_found_rows_target == "db3");

        run(s, "SELECT @x := 1", plan(Target::primary), "db1");
        CHECK_FALSE(s.wrote);
        run(s, "CALL p(@out)", plan(Target::primary), "db1");
        CHECK(s.wrote);  // a procedure may write
        CHECK(s.variable_backends.at("@x") == "db1");
        CHECK(s.variable_backends.at("@out") == "db1");
        run(s, "SET @x = 2", plan(Target::all, false, true), "db1");
        CHECK(s.variable_backends.count("@x") == 0);  // now set everywhere

        SessionState fresh;
        fresh.on_executed(classify("INSERT INTO t VALUES (1)"), plan(Target::primary), "db1");
        CHECK(fresh.wrote);
    }
    SUBCASE("pins and locks to the primary") {
        run(s, "START TRANSACTION READ ONLY", plan(Target::replica, true), "db2");
        CHECK(s.transaction_backend == "db2");
        run(s, "SELECT 1; SET @a = 1", plan(Target::primary, false, false, true), "db1");
        CHECK(s.locked_to_primary);
    }
}

TEST_CASE("router session state: what may have written on the primary forgets the last write's GTID") {
    struct Row {
        const char* sql;
        bool on_primary;
        bool prepared;
        bool forgets;
        bool wrote;
    };
    const Row rows[] = {
        {"INSERT INTO t VALUES (1)", true, false, true, true},
        {"INSERT INTO t VALUES (1)", false, false, false, true},  // not on the primary: the GTID still stands
        {"CREATE TABLE t2 (a INT)", true, false, true, true},
        {"COMMIT", true, false, true, true},
        {"SELECT f_counts(1)", true, false, true, false},  // a stored function may write
        {"SELECT a FROM t", true, true, true, false},      // any EXECUTE on the primary
        {"SELECT a FROM t", true, false, false, false},
        {"SET @x = 1", true, false, false, false},
    };
    for (const Row& r : rows) {
        CAPTURE(r.sql);
        CAPTURE(r.prepared);
        SessionState s;
        s.last_write_gtid = "0-1-5";
        s.on_executed(classify(r.sql, ClassifyOptions{s.lexer_options}), plan(Target::primary), "db1",
                      {.on_primary = r.on_primary, .prepared = r.prepared});
        CHECK(s.last_write_gtid.has_value() == !r.forgets);
        CHECK(s.wrote == r.wrote);
    }
}

TEST_CASE("router session state: losing a backend") {
    SessionState s;
    s.database = "app";
    run(s, "SELECT 1", plan(Target::replica), "db2");
    CHECK_FALSE(s.on_backend_lost("db2"));  // nothing lived there
    CHECK_FALSE(s.last_backend.has_value());

    run(s, "CREATE TEMPORARY TABLE tmp (a INT)", plan(Target::primary), "db1");
    CHECK(s.on_backend_lost("db1"));
    CHECK(s.temporary_tables.empty());

    run(s, "START TRANSACTION READ ONLY", plan(Target::replica, true), "db3");
    s.on_server_status(kStatusAutocommit | kStatusInTransaction);
    CHECK(s.on_backend_lost("db3"));
    CHECK_FALSE(s.transaction_backend.has_value());

    run(s, "SELECT GET_LOCK('a', 1)", plan(Target::primary), "db1");
    CHECK_FALSE(s.on_backend_lost("db2"));
    CHECK(s.on_backend_lost("db1"));
    CHECK(s.user_locks == 0);
}
