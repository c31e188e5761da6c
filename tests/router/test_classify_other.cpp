// Classifier table, part 4: SHOW / DESCRIBE / EXPLAIN and the other statements, multi-statements, odd
// spelling, unknown text.

#include "classify_rows.hpp"

using namespace sluice::router;
using sluice::router::test::ClassifyRow;

TEST_CASE("router classify: SHOW, DESCRIBE, EXPLAIN, HELP") {
    using enum Kind;
    using enum Verb;
    using enum Placement;
    using enum Flag;
    const ClassifyRow rows[] = {
        {"SHOW TABLES", other, show, replica_ok, {}},
        {"SHOW FULL TABLES FROM db LIKE 'a%'", other, show, replica_ok, {}},
        {"SHOW TABLE STATUS", other, show, replica_ok, {}},
        {"SHOW COLUMNS FROM t", other, show, replica_ok, {}},
        {"SHOW FULL COLUMNS FROM t FROM db", other, show, replica_ok, {}},
        {"SHOW FIELDS IN db.t", other, show, replica_ok, {}},
        {"SHOW INDEX FROM t", other, show, replica_ok, {}},
        {"SHOW EXTENDED INDEXES IN t", other, show, replica_ok, {}},
        {"SHOW KEYS FROM t", other, show, replica_ok, {}},
        {"SHOW DATABASES", other, show, replica_ok, {}},
        {"show schemas like 'x%'", other, show, replica_ok, {}},
        {"SHOW CREATE TABLE t", other, show, replica_ok, {}},
        {"SHOW CREATE VIEW db.v", other, show, replica_ok, {}},
        {"SHOW CREATE SEQUENCE s", other, show, replica_ok, {}},
        {"SHOW CREATE DATABASE d", other, show, replica_ok, {}},
        {"SHOW CREATE PROCEDURE p", other, show, replica_ok, {}},
        {"SHOW CREATE USER u", other, show, replica_ok, {}},
        {"SHOW TRIGGERS", other, show, replica_ok, {}},
        {"SHOW EVENTS", other, show, replica_ok, {}},
        {"SHOW PROCEDURE STATUS", other, show, replica_ok, {}},
        {"SHOW FUNCTION STATUS WHERE Db = 'x'", other, show, replica_ok, {}},
        {"SHOW CHARACTER SET", other, show, replica_ok, {}},
        {"SHOW CHARSET", other, show, replica_ok, {}},
        {"SHOW COLLATION LIKE 'utf8%'", other, show, replica_ok, {}},
        {"SHOW ENGINES", other, show, replica_ok, {}},
        {"SHOW STORAGE ENGINES", other, show, replica_ok, {}},
        {"SHOW PLUGINS", other, show, replica_ok, {}},
        {"SHOW PRIVILEGES", other, show, replica_ok, {}},
        {"SHOW GRANTS", other, show, replica_ok, {}},
        {"SHOW GRANTS FOR CURRENT_USER", other, show, replica_ok, {}},
        {"SHOW WARNINGS", other, show, previous, diagnostics},
        {"SHOW WARNINGS LIMIT 10", other, show, previous, diagnostics},
        {"SHOW ERRORS", other, show, previous, diagnostics},
        {"SHOW COUNT(*) WARNINGS", other, show, previous, diagnostics},
        {"SHOW PROFILES", other, show, previous, diagnostics},
        {"SHOW PROFILE FOR QUERY 1", other, show, previous, diagnostics},
        {"SHOW STATUS", other, show, previous, diagnostics},
        {"SHOW SESSION STATUS LIKE 'Handler%'", other, show, previous, diagnostics},
        {"SHOW LOCAL STATUS", other, show, previous, diagnostics},
        {"SHOW GLOBAL STATUS", other, show, primary_by_default, {}},
        {"SHOW VARIABLES LIKE 'read_only'", other, show, primary_by_default, {}},
        {"SHOW SESSION VARIABLES", other, show, primary_by_default, {}},
        {"SHOW GLOBAL VARIABLES", other, show, primary_by_default, {}},
        {"SHOW MASTER STATUS", other, show, primary_by_default, {}},
        {"SHOW BINLOG STATUS", other, show, primary_by_default, {}},
        {"SHOW BINARY LOGS", other, show, primary_by_default, {}},
        {"SHOW MASTER LOGS", other, show, primary_by_default, {}},
        {"SHOW BINLOG EVENTS IN 'mysql-bin.000001'", other, show, primary_by_default, {}},
        {"SHOW RELAYLOG EVENTS", other, show, primary_by_default, {}},
        {"SHOW SLAVE STATUS", other, show, primary_by_default, {}},
        {"SHOW REPLICA STATUS", other, show, primary_by_default, {}},
        {"SHOW ALL SLAVES STATUS", other, show, primary_by_default, {}},
        {"SHOW SLAVE HOSTS", other, show, primary_by_default, {}},
        {"SHOW PROCESSLIST", other, show, primary_by_default, {}},
        {"SHOW FULL PROCESSLIST", other, show, primary_by_default, {}},
        {"SHOW ENGINE INNODB STATUS", other, show, primary_by_default, {}},
        {"SHOW OPEN TABLES", other, show, primary_by_default, {}},
        {"SHOW EXPLAIN FOR 12", other, show, primary_by_default, {}},
        {"SHOW SOMETHING NEW", other, show, primary_by_default, {}},
        {"DESCRIBE t", other, describe, replica_ok, {}},
        {"DESC db.t", other, describe, replica_ok, {}},
        {"DESCRIBE t a", other, describe, replica_ok, {}},
        {"EXPLAIN t", other, describe, replica_ok, {}},
        {"EXPLAIN SELECT * FROM t", other, explain, replica_ok, {}},
        {"EXPLAIN EXTENDED SELECT * FROM t", other, explain, replica_ok, {}},
        {"EXPLAIN PARTITIONS SELECT * FROM t", other, explain, replica_ok, {}},
        {"EXPLAIN FORMAT=JSON SELECT * FROM t", other, explain, replica_ok, {}},
        {"DESCRIBE SELECT a FROM t", other, explain, replica_ok, {}},
        {"EXPLAIN SELECT * FROM t FOR UPDATE", other, explain, primary_by_default, {}},
        {"EXPLAIN SELECT LAST_INSERT_ID()", other, explain, primary_by_default, {}},
        {"EXPLAIN UPDATE t SET a = 1", other, explain, primary_by_default, {}},
        {"EXPLAIN DELETE FROM t", other, explain, primary_by_default, {}},
        {"EXPLAIN FOR CONNECTION 5", other, explain, primary_by_default, {}},
        {"HELP 'SELECT'", other, help, replica_ok, {}},
        {"help contents", other, help, replica_ok, {}},
    };
    sluice::router::test::check_rows(rows);
}

TEST_CASE("router classify: locks, handlers and server administration") {
    using enum Kind;
    using enum Verb;
    using enum Placement;
    using enum Flag;
    const ClassifyRow rows[] = {
        {"LOCK TABLES t READ", other, lock_tables, primary, {}},
        {"LOCK TABLES t1 AS a READ LOCAL, t2 LOW_PRIORITY WRITE", other, lock_tables, primary, {}},
        {"LOCK TABLE t WRITE", other, lock_tables, primary, {}},
        {"UNLOCK TABLES", other, unlock_tables, primary, {}},
        {"unlock table", other, unlock_tables, primary, {}},
        {"HANDLER t OPEN", other, handler, primary, {}},
        {"HANDLER t READ FIRST", other, handler, primary, {}},
        {"HANDLER t CLOSE", other, handler, primary, {}},
        {"DO 1", other, do_, primary_by_default, {}},
        {"DO SLEEP(1)", other, do_, primary_by_default, {}},
        {"DO GET_LOCK('x', 1)", other, do_, primary, user_lock},
        {"DO RELEASE_LOCK('x')", other, do_, primary, user_unlock},
        {"DO my_proc_func()", other, do_, primary_by_default, stored_function},
        {"KILL 42", other, kill, primary, {}},
        {"KILL QUERY 42", other, kill, primary, {}},
        {"FLUSH TABLES", other, flush, primary, {}},
        {"FLUSH TABLES WITH READ LOCK", other, flush, primary, {}},
        {"FLUSH PRIVILEGES", other, flush, primary, {}},
        {"RESET MASTER", other, admin, primary, {}},
        {"PURGE BINARY LOGS TO 'mysql-bin.000010'", other, admin, primary, {}},
        {"CHANGE MASTER TO MASTER_HOST='h'", other, admin, primary, {}},
        {"START SLAVE", other, admin, primary, {}},
        {"STOP REPLICA", other, admin, primary, {}},
        {"START ALL SLAVES", other, admin, primary, {}},
        {"SHUTDOWN", other, admin, primary, {}},
        {"BINLOG 'base64'", other, admin, primary, {}},
        {"CACHE INDEX t IN c", other, admin, primary, {}},
        {"LOAD INDEX INTO CACHE t", other, admin, primary, {}},
        {"BACKUP STAGE START", other, admin, primary, {}},
        {"SIGNAL SQLSTATE '45000'", other, signal, primary_by_default, {}},
        {"GET DIAGNOSTICS @n = NUMBER", other, get_diagnostics, previous, diagnostics},
        {"GET CURRENT DIAGNOSTICS CONDITION 1 @m = MESSAGE_TEXT", other, get_diagnostics, previous,
         diagnostics},
        {"IF 1 THEN SELECT 1; END IF", other, compound, primary, compound_body},
        {"label1: LOOP LEAVE label1; END LOOP", other, compound, primary, compound_body},
    };
    sluice::router::test::check_rows(rows);
}

TEST_CASE("router classify: multi-statements") {
    using enum Kind;
    using enum Verb;
    using enum Placement;
    using enum Flag;
    const ClassifyRow rows[] = {
        {"SELECT 1; SELECT 2", read, select, primary, multi_statement},
        {"SELECT 1;SELECT 2;", read, select, primary, multi_statement},
        {"SELECT 1;", read, select, replica_ok, {}},
        {"SELECT 1 ; ; ", read, select, replica_ok, {}},
        {"SELECT 1; -- done", read, select, replica_ok, {}},
        {"SELECT 1; /* nothing */ ;", read, select, replica_ok, {}},
        {"SELECT * FROM t; DELETE FROM t", read, select, primary, multi_statement},
        {"INSERT INTO t VALUES (1); SELECT LAST_INSERT_ID()", write, insert, primary,
         multi_statement | primary_function},
        {"SET @a = 1; SELECT @a", session, set, primary, multi_statement | locks_session | user_var_read},
        {"SELECT 1; SET NAMES utf8", read, select, primary, multi_statement | locks_session},
        {"SELECT 1; USE db2", read, select, primary, multi_statement | locks_session},
        {"SELECT 1; CREATE TEMPORARY TABLE tmp (a INT)", read, select, primary,
         multi_statement | temporary | locks_session},
        {"SELECT 1; LOCK TABLES t READ", read, select, primary, multi_statement | locks_session},
        {"BEGIN; UPDATE t SET a = 1; COMMIT", transaction, begin, primary, multi_statement},
        {"SELECT 'a;b'; SELECT \"c;d\"", read, select, primary, multi_statement},
        {"SELECT 1 /* ; */ ; SELECT 2", read, select, primary, multi_statement},
        {"SELECT 1; SELECT * FROM t FOR UPDATE", read, select, primary, multi_statement | locking_read},
        {"CALL p(); SELECT 1", write, call, primary, multi_statement},
        {"/*!40101 SET NAMES utf8 */; SELECT 1", session, set_names, primary,
         multi_statement | locks_session},
    };
    sluice::router::test::check_rows(rows);
}

TEST_CASE("router classify: odd spacing and case, unknown and empty text") {
    using enum Kind;
    using enum Verb;
    using enum Placement;
    using enum Flag;
    const ClassifyRow rows[] = {
        {"   SELECT 1", read, select, replica_ok, {}},
        {"\n\t\r SELECT\n*\nFROM\tt", read, select, replica_ok, {}},
        {"sElEcT * fRoM t fOr UpDaTe", read, select, primary, locking_read},
        {"SELECT*FROM t", read, select, replica_ok, {}},
        {"SELECT(1)", read, select, replica_ok, {}},
        {"SELECT`a`FROM`t`", read, select, replica_ok, {}},
        {"Insert/**/Into t Values(1)", write, insert, primary, {}},
        {"UPDATE`t`SET`a`=1", write, update, primary, {}},
        {"select\fa\vfrom t", read, select, replica_ok, {}},
        {"SELECT 1e5, 1.5e-3, .5, 0x1F, 0b101, X'AF'", read, select, replica_ok, {}},
        {"SELECT 123abc FROM t", read, select, replica_ok, {}},
        {"SELECT \xc3\xa9t\xc3\xa9 FROM caf\xc3\xa9", read, select, replica_ok, {}},
        {"SELECT a->>'$.b' FROM t", read, select, replica_ok, {}},
        {"SELECT a <=> b, a != b, a <> b, a || b, a && b FROM t", read, select, replica_ok, {}},
        {"", other, empty, primary, {}},
        {"   ", other, empty, primary, {}},
        {";", other, empty, primary, {}},
        {"/* only a comment */", other, empty, primary, {}},
        {"-- only a comment", other, empty, primary, {}},
        {"FOO BAR", other, unknown, primary, {}},
        {"SELEC 1", other, unknown, primary, {}},
        {"123", other, unknown, primary, {}},
        {"'SELECT 1'", other, unknown, primary, {}},
        {"@x := 1", other, unknown, primary, {}},
        {"(((", other, unknown, primary, {}},
        {")", other, unknown, primary, {}},
        {"WITH", other, unknown, primary, {}},
        {"WITH c AS (SELECT 1)", other, unknown, primary, {}},
        {"\x01\x02\x03", other, unknown, primary, {}},
    };
    sluice::router::test::check_rows(rows);
}
