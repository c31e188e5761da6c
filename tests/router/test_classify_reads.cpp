// Classifier table, part 1: reads, and what hides keywords (comments, strings, quoted names, executable
// comments).

#include "classify_rows.hpp"

using namespace sluice::router;
using sluice::router::test::ClassifyRow;

TEST_CASE("router classify: plain reads may go to a replica") {
    using enum Kind;
    using enum Verb;
    using enum Placement;
    using enum Flag;
    const ClassifyRow rows[] = {
        {"SELECT 1", read, select, replica_ok, {}},
        {"select 1", read, select, replica_ok, {}},
        {"SELECT * FROM t", read, select, replica_ok, {}},
        {"SELECT a, b FROM db.t WHERE id = 5", read, select, replica_ok, {}},
        {"SELECT * FROM t1 JOIN t2 ON t1.a = t2.a", read, select, replica_ok, {}},
        {"SELECT * FROM t1 LEFT OUTER JOIN t2 USING (a)", read, select, replica_ok, {}},
        {"SELECT COUNT(*), SUM(x), AVG(y), MAX(z) FROM t GROUP BY a HAVING COUNT(*) > 1",
         read,
         select,
         replica_ok,
         {}},
        {"SELECT * FROM t ORDER BY a DESC LIMIT 10 OFFSET 20", read, select, replica_ok, {}},
        {"SELECT DISTINCT a FROM t", read, select, replica_ok, {}},
        {"SELECT 1 FROM DUAL", read, select, replica_ok, {}},
        {"SELECT NOW(), UUID(), RAND()", read, select, replica_ok, nondeterministic},
        {"SELECT CONCAT(a, 'x'), UPPER(b), SUBSTRING(c, 1, 2) FROM t", read, select, replica_ok, {}},
        {"SELECT JSON_EXTRACT(doc, '$.a'), JSON_VALUE(doc, '$.b') FROM t", read, select, replica_ok, {}},
        {"SELECT ST_AsText(g), MBRContains(a, b) FROM geo", read, select, replica_ok, {}},
        {"SELECT CAST(a AS CHAR(10)), CONVERT(b, DECIMAL(10,2)) FROM t", read, select, replica_ok, {}},
        {"SELECT EXTRACT(YEAR FROM d), TRIM(LEADING 'x' FROM s) FROM t", read, select, replica_ok, {}},
        {"SELECT * FROM t WHERE a IN (SELECT b FROM u)", read, select, replica_ok, subquery},
        {"SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a)", read, select, replica_ok,
         subquery},
        {"SELECT * FROM (SELECT a FROM t) AS d", read, select, replica_ok, subquery},
        {"(SELECT a FROM t) UNION (SELECT a FROM u)", read, select, replica_ok, subquery},
        {"SELECT a FROM t UNION ALL SELECT a FROM u", read, select, replica_ok, {}},
        {"SELECT a FROM t INTERSECT SELECT a FROM u", read, select, replica_ok, {}},
        {"SELECT a FROM t EXCEPT SELECT a FROM u", read, select, replica_ok, {}},
        {"SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY b) FROM t", read, select, replica_ok, {}},
        {"SELECT a, RANK() OVER w FROM t WINDOW w AS (ORDER BY a)", read, select, replica_ok, {}},
        {"SELECT * FROM t FORCE INDEX (idx) WHERE a = 1", read, select, replica_ok, {}},
        {"SELECT * FROM t USE INDEX (i1) IGNORE INDEX (i2)", read, select, replica_ok, {}},
        {"SELECT STRAIGHT_JOIN a FROM t1, t2", read, select, replica_ok, {}},
        {"SELECT SQL_NO_CACHE a FROM t", read, select, replica_ok, {}},
        {"SELECT HIGH_PRIORITY a FROM t", read, select, replica_ok, {}},
        {"SELECT * FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01 00:00:00'",
         read,
         select,
         replica_ok,
         {}},
        {"SELECT MATCH (a) AGAINST ('word' IN BOOLEAN MODE) FROM t", read, select, replica_ok, {}},
        {"SELECT IF(a, 1, 2), IFNULL(b, 0), COALESCE(c, d), NULLIF(e, f) FROM t",
         read,
         select,
         replica_ok,
         {}},
        {"SELECT * FROM JSON_TABLE('[1]', '$[*]' COLUMNS (a INT PATH '$')) AS jt",
         read,
         select,
         replica_ok,
         {}},
        {"SELECT a FROM t WHERE b = ?", read, select, replica_ok, {}},
        {"SELECT @@version, @@session.sql_mode", read, select, replica_ok, {}},
        {"SELECT @x", read, select, replica_ok, user_var_read},
        {"SELECT * FROM t WHERE a = @id", read, select, replica_ok, user_var_read},
        {"SELECT a = @x FROM t", read, select, replica_ok, user_var_read},
        {"VALUES (1, 2), (3, 4)", read, values, replica_ok, {}},
        {"TABLE t", read, table, replica_ok, {}},
        {"TABLE db.t ORDER BY a LIMIT 1", read, table, replica_ok, {}},
        {"WITH c AS (SELECT a FROM t) SELECT * FROM c", read, select, replica_ok, subquery},
        {"WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r", read,
         select, replica_ok, subquery},
        {"WITH a AS (SELECT 1), b AS (SELECT 2) SELECT * FROM a, b", read, select, replica_ok, subquery},
        {"WITH c (x, y) AS (VALUES (1, 2)) SELECT x FROM c", read, select, replica_ok, {}},
        {"SELECT my_func(a) FROM t", read, select, primary_by_default, stored_function},
        {"SELECT db.my_func(1)", read, select, primary_by_default, stored_function},
        {"SELECT `my func`(1)", read, select, primary_by_default, stored_function},
        {"SELECT * FROM t WHERE a > my_udf(3)", read, select, primary_by_default, stored_function},
    };
    sluice::router::test::check_rows(rows);
}

TEST_CASE("router classify: comments, strings and quoted names hide keywords") {
    using enum Kind;
    using enum Verb;
    using enum Placement;
    using enum Flag;
    const ClassifyRow rows[] = {
        {"SELECT /* FOR UPDATE */ 1", read, select, replica_ok, {}},
        {"SELECT 1 -- FOR UPDATE", read, select, replica_ok, {}},
        {"SELECT 1 # FOR UPDATE", read, select, replica_ok, {}},
        {"SELECT 1 --\tFOR UPDATE", read, select, replica_ok, {}},
        {"SELECT 1 --\nFOR UPDATE", read, select, primary, locking_read},
        {"SELECT 1--1", read, select, replica_ok, {}},
        {"SELECT 'DELETE FROM t'", read, select, replica_ok, {}},
        {"SELECT \"DROP TABLE t\"", read, select, replica_ok, {}},
        {"SELECT 'it''s FOR UPDATE'", read, select, replica_ok, {}},
        {"SELECT 'it\\'s FOR UPDATE'", read, select, replica_ok, {}},
        {"SELECT \"say \"\"FOR UPDATE\"\"\"", read, select, replica_ok, {}},
        {"SELECT 'a\\\\' FROM t FOR UPDATE", read, select, primary, locking_read},
        {"SELECT `for update` FROM t", read, select, replica_ok, {}},
        {"SELECT `a``FOR UPDATE` FROM t", read, select, replica_ok, {}},
        {"SELECT 'LAST_INSERT_ID()'", read, select, replica_ok, {}},
        {"SELECT '@x := 1'", read, select, replica_ok, {}},
        {"SELECT '; DELETE FROM t'", read, select, replica_ok, {}},
        {"SELECT 1 /* ; DELETE FROM t */", read, select, replica_ok, {}},
        {"SELECT 1 -- ; DELETE FROM t", read, select, replica_ok, {}},
        {"/* DELETE */ SELECT 1", read, select, replica_ok, {}},
        {"-- UPDATE t\nSELECT 1", read, select, replica_ok, {}},
        {"# INSERT\nSELECT 1", read, select, replica_ok, {}},
        {"/* multi\nline\ncomment */ SELECT a FROM t", read, select, replica_ok, {}},
        {"SELECT /*+ MAX_EXECUTION_TIME(1000) */ a FROM t", read, select, replica_ok, {}},
        {"SELECT a FROM t /* LOCK IN SHARE MODE */", read, select, replica_ok, {}},
        {"SELECT 'x' 'FOR UPDATE' FROM t", read, select, replica_ok, {}},
        {"SELECT N'FOR UPDATE', X'414243', _utf8mb4'GET_LOCK(1)'", read, select, replica_ok, {}},
        {"SELECT * FROM `select` WHERE `update` = 1", read, select, replica_ok, {}},
        {"SELECT `LAST_INSERT_ID`() FROM t", read, select, primary_by_default, stored_function},
        {"UPDATE t SET a = '/* SELECT */'", write, update, primary, {}},
        {"/* SELECT */ INSERT INTO t VALUES (1)", write, insert, primary, {}},
        {"SELECT 1 /* unterminated", read, select, primary, malformed},
        {"SELECT 'unterminated", read, select, primary, malformed},
        {"SELECT `unterminated", read, select, primary, malformed},
        {"SELECT \"a\\\"FOR UPDATE\"", read, select, replica_ok, {}},
    };
    sluice::router::test::check_rows(rows);
}

TEST_CASE("router classify: executable comments are code, hints are reported") {
    using enum Kind;
    using enum Verb;
    using enum Placement;
    using enum Flag;
    const ClassifyRow rows[] = {
        {"/*!40101 SET NAMES utf8 */", session, set_names, all, replayable},
        {"/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE */", session, set, all, replayable},
        {"/*!40000 ALTER TABLE t DISABLE KEYS */", ddl, alter, primary, {}},
        {"/*! SELECT */ 1", read, select, replica_ok, {}},
        {"SELECT 1 /*! FOR UPDATE */", read, select, primary, locking_read},
        {"SELECT 1 /*!50100 FOR UPDATE */", read, select, primary, locking_read},
        {"SELECT 1 /*M! FOR UPDATE */", read, select, primary, locking_read},
        {"SELECT 1 /*M!100100 FOR UPDATE */", read, select, primary, locking_read},
        {"SELECT /*!50100 SQL_CALC_FOUND_ROWS */ a FROM t", read, select, replica_ok, calc_found_rows},
        {"/*!50100 INSERT INTO t VALUES (1) */", write, insert, primary, {}},
        {"/*M!100300 CREATE SEQUENCE s */", ddl, create, primary, {}},
        {"SELECT 1 /*!99999 FOR UPDATE */", read, select, primary, locking_read},
        {"/*!40101 SELECT 'a */' */", read, select, replica_ok, {}},
        {"/*!40101 SET NAMES utf8", session, set_names, primary, malformed},
        {"/* sluice: primary */ SELECT 1", read, select, replica_ok, {}},
        {"SELECT 1 /* sluice: replica */", read, select, replica_ok, {}},
        {"/* sluice: backend=db2 */ SELECT 1", read, select, replica_ok, {}},
        {"/*+ sluice: primary */ SELECT 1", read, select, replica_ok, {}},
        {"/* sluice: primary */ INSERT INTO t VALUES (1)", write, insert, primary, {}},
        {"/* sluice: replica */ DELETE FROM t", write, delete_, primary, {}},
    };
    sluice::router::test::check_rows(rows);
}

TEST_CASE("router classify: hint comments") {
    struct Row {
        const char* sql;
        HintKind kind;
        const char* backend;
    };
    const Row rows[] = {
        {"SELECT 1", HintKind::none, ""},
        {"/* sluice: primary */ SELECT 1", HintKind::primary, ""},
        {"/*sluice:primary*/ SELECT 1", HintKind::primary, ""},
        {"/*  SLUICE:  Primary  */ SELECT 1", HintKind::primary, ""},
        {"SELECT 1 /* sluice: replica */", HintKind::replica, ""},
        {"/* sluice: backend=db2 */ SELECT 1", HintKind::backend, "db2"},
        {"/* sluice: backend = db-3.local */ SELECT 1", HintKind::backend, "db-3.local"},
        {"/* sluice: backend= */ SELECT 1", HintKind::invalid, ""},
        {"/* sluice: backend=a b */ SELECT 1", HintKind::invalid, ""},
        {"/* sluice: nowhere */ SELECT 1", HintKind::invalid, ""},
        {"/* sluice: bogus */ /* sluice: replica */ SELECT 1", HintKind::replica, ""},
        {"/* sluice: primary */ SELECT 1 /* sluice: replica */", HintKind::primary, ""},
        {"SELECT '/* sluice: primary */'", HintKind::none, ""},
        {"-- sluice: primary\nSELECT 1", HintKind::none, ""},
        {"/* not sluice: primary */ SELECT 1", HintKind::none, ""},
        {"/*! sluice: primary */ SELECT 1", HintKind::none, ""},
    };
    for (const Row& r : rows) {
        INFO("sql: " << std::string(r.sql));
        Statement st = classify(r.sql);
        CHECK(static_cast<int>(st.hint.kind) == static_cast<int>(r.kind));
        CHECK(st.hint.backend == r.backend);
    }
}
