// What the classifier extracts besides the class: table names, variables, and the values the session state
// needs (autocommit, READ ONLY, database, charset, sql_mode, prepared statement names).

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "router/classify.hpp"
#include "router/words.hpp"

using namespace sluice::router;

namespace {

std::string joined_tables(const Statement& st) {
    std::string out;
    for (const TableRef& t : st.tables) {
        if (!out.empty()) out += ' ';
        out += t.schema.empty() ? t.name : t.schema + "." + t.name;
    }
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) out += (out.empty() ? "" : " ") + s;
    return out;
}

}  // namespace

TEST_CASE("router classify: table names") {
    struct Row {
        const char* sql;
        const char* tables;
    };
    const Row rows[] = {
        {"SELECT 1", ""},
        {"SELECT 1 FROM DUAL", ""},
        {"SELECT * FROM t", "t"},
        {"SELECT * FROM db.t", "db.t"},
        {"SELECT * FROM `my db`.`my``table`", "my db.my`table"},
        {"SELECT * FROM t1, t2 AS b, db.t3 c WHERE 1", "t1 t2 db.t3"},
        {"SELECT * FROM t1 JOIN t2 ON 1 LEFT JOIN t3 USING (a) STRAIGHT_JOIN t4", "t1 t2 t3 t4"},
        {"SELECT * FROM t WHERE a IN (SELECT b FROM u WHERE c IN (SELECT d FROM v))", "t u v"},
        {"SELECT * FROM (SELECT a FROM t) d JOIN u ON 1", "t u"},
        {"SELECT * FROM t AS a, (SELECT 1 FROM v) AS b, u", "t v u"},
        {"SELECT * FROM (SELECT 1) x, (SELECT 2 FROM (SELECT 3 FROM w) y, v) z, u WHERE 1", "w v u"},
        {"SELECT * FROM ((SELECT 1 FROM v) UNION (SELECT 2 FROM w)) AS x, u", "v w u"},
        {"SELECT * FROM (t1 JOIN t2 ON 1) JOIN t3", "t1 t2 t3"},
        {"SELECT * FROM t0, (t1, db.t2) WHERE 1", "t0 t1 db.t2"},
        {"SELECT * FROM (((t1)))", "t1"},
        {"SELECT EXTRACT(YEAR FROM d) FROM t", "t"},
        {"SELECT TRIM(BOTH 'x' FROM s), SUBSTRING(s FROM 2) FROM t", "t"},
        {"SELECT * FROM t PARTITION (p0), u", "t u"},
        {"SELECT * FROM t FORCE INDEX (i) WHERE 1", "t"},
        {"SELECT * FROM t AS OF TIMESTAMP NOW()", "t"},
        {"SELECT 'FROM x' FROM t", "t"},
        {"WITH c AS (SELECT * FROM t) SELECT * FROM c JOIN u", "t u"},
        {"WITH RECURSIVE r AS (SELECT 1 UNION SELECT n FROM r) SELECT * FROM r", ""},
        {"TABLE db.t", "db.t"},
        {"INSERT INTO t VALUES (1)", "t"},
        {"INSERT INTO db.t (a, b) VALUES (1, 2)", "db.t"},
        {"INSERT t SET a = 1", "t"},
        {"INSERT IGNORE INTO t SELECT * FROM u", "t u"},
        {"REPLACE INTO t SELECT * FROM u JOIN v", "t u v"},
        {"UPDATE t SET a = 1", "t"},
        {"UPDATE t1 a, db.t2 b SET a.x = b.x", "t1 db.t2"},
        {"UPDATE t SET a = (SELECT MAX(b) FROM u)", "t u"},
        {"UPDATE t JOIN u ON t.a = u.a SET t.b = 1", "t u"},
        {"INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 2", "t"},
        {"DELETE FROM t WHERE a = 1", "t"},
        {"DELETE t1, t2 FROM t1 JOIN t2", "t1 t2"},
        {"DELETE FROM t1 USING t1, t2", "t1 t2"},
        {"LOAD DATA INFILE 'x' INTO TABLE db.t", "db.t"},
        {"SELECT * INTO OUTFILE '/tmp/x' FROM t", "t"},
        {"SELECT a INTO @x FROM t", "t"},
        {"CREATE TABLE t (a INT)", "t"},
        {"CREATE TEMPORARY TABLE IF NOT EXISTS db.tmp (a INT)", "db.tmp"},
        {"CREATE TABLE t AS SELECT * FROM u", "t u"},
        {"CREATE TEMPORARY TABLE tmp SELECT * FROM t", "tmp t"},
        {"DROP TABLE IF EXISTS t1, db.t2", "t1 db.t2"},
        {"DROP TEMPORARY TABLES tmp1, tmp2 CASCADE", "tmp1 tmp2"},
        {"ALTER TABLE t ADD COLUMN b INT, ADD INDEX (b)", "t"},
        {"TRUNCATE TABLE db.t", "db.t"},
        {"RENAME TABLE a TO b, c TO d", "a b c d"},
        {"ANALYZE TABLE t1, t2", "t1 t2"},
        {"OPTIMIZE NO_WRITE_TO_BINLOG TABLE t", "t"},
        {"CHECK TABLE t FOR UPGRADE", "t"},
        {"LOCK TABLES t1 READ, db.t2 AS x WRITE", "t1 db.t2"},
        {"HANDLER db.t OPEN AS h", "db.t"},
        {"SHOW CREATE TABLE db.t", "db.t"},
        {"SHOW COLUMNS FROM t FROM db", "db.t"},
        {"SHOW INDEX IN t", "t"},
        {"SHOW TABLES FROM db", ""},
        {"DESCRIBE db.t", "db.t"},
        {"EXPLAIN SELECT * FROM t JOIN u", "t u"},
        {"PREPARE s FROM 'SELECT * FROM t'", "t"},
        {"SET @x = (SELECT a FROM t)", "t"},
        {"SELECT 1; SELECT * FROM t", "t"},
    };
    for (const Row& r : rows) {
        INFO("sql: " << std::string(r.sql));
        CHECK(joined_tables(classify(r.sql)) == r.tables);
    }
}

TEST_CASE("router classify: variables assigned and read") {
    struct Row {
        const char* sql;
        const char* assigned;
        const char* read;
    };
    const Row rows[] = {
        {"SELECT @a, @B", "", "@a @b"},
        {"SELECT @a := 1, @b := @a + 1", "@a @b", "@a"},
        {"SELECT a INTO @x FROM t", "@x", ""},
        {"SELECT a, b INTO @x, @y FROM t", "@x @y", ""},
        {"SELECT @`q v`, @'s v', @\"d v\"", "", "@q v @s v @d v"},
        {"SELECT @@sql_mode, @@session.time_zone, @@GLOBAL.read_only", "", "sql_mode time_zone read_only"},
        {"CALL p(@in, @out)", "@in @out", ""},
        {"SET @a = 1", "@a", ""},
        {"SET @a = @b + @@sql_mode", "@a", "@b sql_mode"},
        {"SET SESSION sql_mode = 'x', @@session.time_zone = '+00:00', @@wait_timeout = 5",
         "sql_mode time_zone wait_timeout", ""},
        {"SET GLOBAL max_connections = 10", "max_connections", ""},
        {"SET @@GLOBAL.Read_Only = 1", "read_only", ""},
        {"SET NAMES utf8",
         "character_set_client character_set_connection character_set_results collation_connection", ""},
        {"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY",
         "transaction_isolation transaction_read_only", ""},
        {"SET ROLE r", "role", ""},
        {"SET @a = CONCAT(@b, ',', @c), @d = 2", "@a @d", "@b @c"},
        {"EXECUTE s USING @p1, @p2", "", "@p1 @p2"},
        {"PREPARE s FROM @sql", "", "@sql"},
        {"INSERT INTO t VALUES (@v)", "", "@v"},
    };
    for (const Row& r : rows) {
        INFO("sql: " << std::string(r.sql));
        Statement st = classify(r.sql);
        CHECK(joined(st.vars_assigned) == r.assigned);
        CHECK(joined(st.vars_read) == r.read);
    }
}

TEST_CASE("router classify: values the session state keeps") {
    SUBCASE("autocommit") {
        struct Row {
            const char* sql;
            int value;  // -1: none
        };
        const Row rows[] = {
            {"SET autocommit = 0", 0},        {"SET autocommit=1", 1},
            {"SET autocommit = OFF", 0},      {"SET autocommit = 'ON'", 1},
            {"SET @@autocommit = FALSE", 0},  {"SET SESSION autocommit = true", 1},
            {"SET autocommit = DEFAULT", 1},  {"SET autocommit = 1 + 0", -1},
            {"SET autocommit = @x", -1},      {"SET @autocommit = 0", -1},
            {"SET x = 1, autocommit = 0", 0}, {"SELECT 1", -1},
        };
        for (const Row& r : rows) {
            INFO("sql: " << std::string(r.sql));
            Statement st = classify(r.sql);
            CHECK(st.autocommit.has_value() == (r.value >= 0));
            if (st.autocommit && r.value >= 0) CHECK(*st.autocommit == (r.value == 1));
        }
    }
    SUBCASE("read only") {
        struct Row {
            const char* sql;
            int value;
        };
        const Row rows[] = {
            {"START TRANSACTION READ ONLY", 1},
            {"START TRANSACTION READ WRITE", 0},
            {"START TRANSACTION", -1},
            {"START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", 1},
            {"BEGIN", -1},
            {"SET TRANSACTION READ ONLY", 1},
            {"SET SESSION TRANSACTION READ WRITE", 0},
            {"SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE", -1},
            {"SET SESSION transaction_read_only = 1", 1},
            {"SET tx_read_only = OFF", 0},
        };
        for (const Row& r : rows) {
            INFO("sql: " << std::string(r.sql));
            Statement st = classify(r.sql);
            CHECK(st.read_only.has_value() == (r.value >= 0));
            if (st.read_only && r.value >= 0) CHECK(*st.read_only == (r.value == 1));
        }
    }
    SUBCASE("database, charset, sql_mode, prepared names") {
        CHECK(classify("USE shop").database == "shop");
        CHECK(classify("USE `my``db`").database == "my`db");
        CHECK(classify("SET NAMES UTF8MB4 COLLATE utf8mb4_bin").charset == "utf8mb4");
        CHECK(classify("SET NAMES 'latin1'").charset == "latin1");
        CHECK(classify("SET CHARACTER SET cp1251").charset == "cp1251");
        CHECK(classify("SET sql_mode = 'ANSI_QUOTES,STRICT_ALL_TABLES'").sql_mode ==
              "ANSI_QUOTES,STRICT_ALL_TABLES");
        CHECK_FALSE(classify("SET sql_mode = CONCAT(@@sql_mode, ',X')").sql_mode.has_value());
        CHECK(classify("PREPARE Stmt1 FROM 'SELECT 1'").prepared_name == "stmt1");
        CHECK(classify("PREPARE s FROM 'SELECT * FROM t'").prepared_read);
        CHECK(classify("PREPARE s FROM 'SELECT ''it''''s'''").prepared_read);
        CHECK_FALSE(classify("PREPARE s FROM 'SELECT ''it''s'''").prepared_read);  // inner text malformed
        CHECK_FALSE(classify("PREPARE s FROM 'SELECT * FROM t FOR UPDATE'").prepared_read);
        CHECK_FALSE(classify("PREPARE s FROM 'INSERT INTO t VALUES (?)'").prepared_read);
        CHECK_FALSE(classify("PREPARE s FROM 'SELECT 1; SELECT 2'").prepared_read);
        CHECK_FALSE(classify("PREPARE s FROM @q").prepared_read);
        CHECK(classify("EXECUTE Stmt1").prepared_name == "stmt1");
        CHECK(classify("DEALLOCATE PREPARE Stmt1").prepared_name == "stmt1");
        CHECK(classify("DROP PREPARE s").prepared_name == "s");
    }
    SUBCASE("replay text") {
        CHECK(classify("SET @a = 1").replay_sql == "SET @a = 1");
        CHECK(classify("/*!40101 SET NAMES utf8 */").replay_sql == "/*!40101 SET NAMES utf8 */");
        CHECK(classify("SELECT 1").replay_sql.empty());
        CHECK(classify("SET GLOBAL x = 1").replay_sql.empty());
    }
}

TEST_CASE("router classify: sql_mode changes how text is read") {
    ClassifyOptions no_backslash;
    no_backslash.lexer.no_backslash_escapes = true;
    // With NO_BACKSLASH_ESCAPES the string ends at the second quote and FOR UPDATE is code.
    CHECK(classify("SELECT 'a\\' FOR UPDATE -- '", no_backslash).has(Flag::locking_read));
    CHECK_FALSE(classify("SELECT 'a\\' FOR UPDATE -- '").has(Flag::locking_read));

    ClassifyOptions ansi;
    ansi.lexer.ansi_quotes = true;
    Statement st = classify("SELECT * FROM \"my table\"", ansi);
    REQUIRE(st.tables.size() == 1);
    CHECK(st.tables[0].name == "my table");
    CHECK(classify("SELECT * FROM t WHERE a = \"my table\"").tables.size() == 1);
}

TEST_CASE("router classify: built-in function table is sorted") {
    CHECK(builtins_sorted_for_test());
}

TEST_CASE("router classify: function roles") {
    CHECK(function_role("concat") == FunctionRole::plain);
    CHECK(function_role("JSON_ARRAYAGG") == FunctionRole::plain);
    CHECK(function_role("st_distance") == FunctionRole::plain);
    CHECK(function_role("last_insert_id") == FunctionRole::same_connection);
    CHECK(function_role("FOUND_ROWS") == FunctionRole::found_rows);
    CHECK(function_role("get_lock") == FunctionRole::user_lock);
    CHECK(function_role("release_lock") == FunctionRole::user_unlock);
    CHECK(function_role("release_all_locks") == FunctionRole::user_unlock_all);
    CHECK(function_role("uuid") == FunctionRole::nondeterministic);
    CHECK(function_role("my_function") == FunctionRole::stored);
    CHECK(function_role("JSON") == FunctionRole::plain);
    CHECK(function_role("JSON_") == FunctionRole::stored);
}
