// Classifier table, part 3: transactions, session commands and SQL prepared statements.

#include "classify_rows.hpp"

using namespace sluice::router;
using sluice::router::test::ClassifyRow;

TEST_CASE("router classify: transaction control") {
    using enum Kind;
    using enum Verb;
    using enum Placement;
    using enum Flag;
    const ClassifyRow rows[] = {
        {"BEGIN", transaction, begin, primary, {}},
        {"begin work", transaction, begin, primary, {}},
        {"BEGIN;", transaction, begin, primary, {}},
        {"START TRANSACTION", transaction, begin, primary, {}},
        {"START TRANSACTION READ ONLY", transaction, begin, primary, {}},
        {"START TRANSACTION READ WRITE", transaction, begin, primary, {}},
        {"START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", transaction, begin, primary, {}},
        {"start transaction with consistent snapshot", transaction, begin, primary, {}},
        {"COMMIT", transaction, commit, primary, {}},
        {"COMMIT WORK", transaction, commit, primary, {}},
        {"COMMIT AND CHAIN", transaction, commit, primary, {}},
        {"COMMIT AND NO CHAIN NO RELEASE", transaction, commit, primary, {}},
        {"ROLLBACK", transaction, rollback, primary, {}},
        {"ROLLBACK WORK AND CHAIN", transaction, rollback, primary, {}},
        {"ROLLBACK TO SAVEPOINT sp1", transaction, rollback_to_savepoint, primary, {}},
        {"ROLLBACK WORK TO sp1", transaction, rollback_to_savepoint, primary, {}},
        {"SAVEPOINT sp1", transaction, savepoint, primary, {}},
        {"RELEASE SAVEPOINT sp1", transaction, release_savepoint, primary, {}},
        {"XA START 'x'", transaction, xa, primary, {}},
        {"XA BEGIN 'x'", transaction, xa, primary, {}},
        {"XA END 'x'", transaction, xa, primary, {}},
        {"XA PREPARE 'x'", transaction, xa, primary, {}},
        {"XA COMMIT 'x' ONE PHASE", transaction, xa, primary, {}},
        {"XA ROLLBACK 'x'", transaction, xa, primary, {}},
        {"XA RECOVER", transaction, xa, primary, {}},
        {"BEGIN NOT ATOMIC SELECT 1; SELECT 2; END", other, compound, primary, compound_body},
        {"SET TRANSACTION READ ONLY", session, set_transaction, all, next_transaction},
        {"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", session, set_transaction, all, next_transaction},
        {"SET SESSION TRANSACTION READ ONLY", session, set_transaction, all, replayable},
        {"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED, READ WRITE", session, set_transaction, all,
         replayable},
        {"SET LOCAL TRANSACTION ISOLATION LEVEL REPEATABLE READ", session, set_transaction, all, replayable},
        {"SET GLOBAL TRANSACTION ISOLATION LEVEL READ COMMITTED", session, set_transaction, primary,
         global_scope},
    };
    sluice::router::test::check_rows(rows);
}

TEST_CASE("router classify: SET, SET NAMES, USE") {
    using enum Kind;
    using enum Verb;
    using enum Placement;
    using enum Flag;
    const ClassifyRow rows[] = {
        {"SET autocommit = 0", session, set, all, replayable},
        {"SET autocommit=1", session, set, all, replayable},
        {"set AUTOCOMMIT = OFF", session, set, all, replayable},
        {"SET @@autocommit := 0", session, set, all, replayable},
        {"SET SESSION autocommit = ON", session, set, all, replayable},
        {"SET @@session.autocommit = 1", session, set, all, replayable},
        {"SET sql_mode = 'STRICT_TRANS_TABLES'", session, set, all, replayable},
        {"SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')", session, set, all, replayable},
        {"SET LOCAL wait_timeout = 100", session, set, all, replayable},
        {"SET @@local.net_read_timeout = 60", session, set, all, replayable},
        {"SET time_zone = '+00:00', sql_mode = ''", session, set, all, replayable},
        {"SET max_statement_time = 10", session, set, all, replayable},
        {"SET @x = 1", session, set, all, replayable},
        {"SET @x := 'a', @y = @x", session, set, all, replayable},
        {"SET @`quoted var` = 1", session, set, all, replayable},
        {"SET @x = CONCAT('a', 'b')", session, set, all, replayable},
        {"SET @x = (SELECT MAX(id) FROM t)", session, set, primary, subquery},
        {"SET @id = LAST_INSERT_ID()", session, set, primary, primary_function},
        {"SET @u = UUID()", session, set, primary, nondeterministic},
        {"SET @r = RAND(), @n = 1", session, set, primary, nondeterministic},
        {"SET @x = my_func(1)", session, set, primary, stored_function},
        {"SET @l = GET_LOCK('a', 0)", session, set, primary, user_lock},
        {"SET timestamp = UNIX_TIMESTAMP()", session, set, all, replayable | nondeterministic},
        {"SET sql_mode = (SELECT @@GLOBAL.sql_mode)", session, set, primary, subquery | locks_session},
        {"SET @x = @@identity", session, set, primary, primary_function},
        {"SET @ro = @@read_only", session, set, primary, server_variable},
        {"SET @m = @@sql_mode", session, set, all, replayable},
        {"SET GLOBAL max_connections = 500", session, set, primary, global_scope},
        {"SET @@global.read_only = 1", session, set, primary, global_scope},
        {"SET GLOBAL a = 1, SESSION b = 2", session, set, primary, global_scope | locks_session},
        {"SET GLOBAL a = 1, b = 2", session, set, primary, global_scope | locks_session},
        {"SET NAMES utf8mb4", session, set_names, all, replayable},
        {"SET NAMES 'utf8mb4' COLLATE 'utf8mb4_unicode_ci'", session, set_names, all, replayable},
        {"set names latin1", session, set_names, all, replayable},
        {"SET NAMES DEFAULT", session, set_names, all, replayable},
        {"SET CHARACTER SET utf8", session, set_charset, all, replayable},
        {"SET CHARSET 'latin1'", session, set_charset, all, replayable},
        {"SET character_set_results = NULL", session, set, all, replayable},
        {"SET ROLE admin", session, set, all, replayable},
        {"SET ROLE NONE", session, set, all, replayable},
        {"SET STATEMENT max_statement_time = 1 FOR SELECT * FROM t", read, select, replica_ok, {}},
        {"SET STATEMENT sql_mode = '' FOR UPDATE t SET a = 1", write, update, primary, {}},
        {"SET STATEMENT a = 1, b = (2) FOR SELECT * FROM t FOR UPDATE", read, select, primary, locking_read},
        {"USE db", session, use, all, replayable},
        {"use `my db`", session, use, all, replayable},
        {"USE db;", session, use, all, replayable},
        {"USE", session, use, primary, {}},
        {"SET", session, set, primary, {}},
        {"SET x", session, set, primary, {}},
    };
    sluice::router::test::check_rows(rows);
}

TEST_CASE("router classify: SQL prepared statements") {
    using enum Kind;
    using enum Verb;
    using enum Placement;
    using enum Flag;
    const ClassifyRow rows[] = {
        {"PREPARE s FROM 'SELECT * FROM t WHERE a = ?'", session, prepare, all, replayable},
        {"PREPARE s FROM 'INSERT INTO t VALUES (?)'", session, prepare, all, replayable},
        {"PREPARE s FROM @sql", session, prepare, all, replayable},
        {"EXECUTE s", other, execute, primary_by_default, {}},
        {"EXECUTE s USING @a, @b", other, execute, primary_by_default, user_var_read},
        {"EXECUTE IMMEDIATE 'SELECT 1'", read, execute, replica_ok, {}},
        {"EXECUTE IMMEDIATE 'DELETE FROM t'", write, execute, primary, {}},
        {"EXECUTE IMMEDIATE 'SET @a = 1'", session, execute, primary, locks_session},
        {"EXECUTE IMMEDIATE CONCAT('SELECT ', 1)", other, execute, primary, {}},
        {"DEALLOCATE PREPARE s", session, deallocate, all, replayable},
        {"DROP PREPARE s", session, deallocate, all, replayable},
    };
    sluice::router::test::check_rows(rows);
}
