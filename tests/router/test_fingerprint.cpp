// The query digest's fingerprint: literals out, lists collapsed, spacing and keyword case normalised.

#include <doctest/doctest.h>

#include <string>

#include "router/classify.hpp"
#include "router/fingerprint.hpp"

using namespace sluice::router;

TEST_CASE("router fingerprint: literals, lists, spacing, keywords") {
    struct Row {
        const char* sql;
        const char* expected;
    };
    const Row rows[] = {
        {"", ""},
        {"SELECT 1", "SELECT ?"},
        {"select * from t where id = 42", "SELECT * FROM t WHERE id = ?"},
        {"SELECT  *\n\tFROM t   WHERE id=42;", "SELECT * FROM t WHERE id = ?"},
        {"select name from Users where name = 'bob' and x = \"y\"",
         "SELECT name FROM Users WHERE name = ? AND x = ?"},
        {"SELECT * FROM t WHERE id IN (1, 2, 3)", "SELECT * FROM t WHERE id IN (...)"},
        {"SELECT * FROM t WHERE id in (1)", "SELECT * FROM t WHERE id IN (...)"},
        {"SELECT * FROM t WHERE id NOT IN ('a','b',NULL, -4)", "SELECT * FROM t WHERE id NOT IN (...)"},
        {"SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE k = 1)",
         "SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE k = ?)"},
        {"SELECT * FROM t WHERE id IN (a, 1)", "SELECT * FROM t WHERE id IN (a, ?)"},
        {"SELECT a - 1, -2, f(-3), x = +4", "SELECT a - ?, ?, f(?), x = ?"},
        {"SELECT COUNT(*) FROM t", "SELECT COUNT(*) FROM t"},
        {"INSERT INTO t (a,b) VALUES (1,'x')", "INSERT INTO t(a, b) VALUES (?, ?)"},
        {"SELECT /* a comment */ 1 -- trailing\n", "SELECT ?"},
        {"SELECT 1 # hash comment", "SELECT ?"},
        {"/*!40101 SET NAMES utf8 */", "SET NAMES utf8"},
        {"SELECT `Order`.id FROM `Order`", "SELECT `Order`.id FROM `Order`"},
        {"SELECT @x, @@session.sql_mode", "SELECT @x, @@session.sql_mode"},
        {"SELECT ? FROM t WHERE a = ?", "SELECT ? FROM t WHERE a = ?"},
        {"SELECT 0x1F, 1.5e3, 'it''s', X'0A', _utf8mb4'x', x 'y'", "SELECT ?, ?, ?, ?, ?, x ?"},
        {"update t set a = 1 where b = 2 limit 10", "UPDATE t SET a = ? WHERE b = ? LIMIT ?"},
        {"SELECT 1; SELECT 2", "SELECT ?; SELECT ?"},
    };
    for (const Row& r : rows) {
        INFO(std::string(r.sql));
        CHECK(fingerprint(r.sql) == r.expected);
        // The same from the tokens a classification kept.
        TokenLog log;
        (void)classify(r.sql, {{}, &log});
        CHECK(log.complete);
        std::string from_log;
        fingerprint_into(from_log, log);
        CHECK(from_log == r.expected);
    }
}

TEST_CASE("router fingerprint: from a token log that is not complete, the text is lexed") {
    TokenLog log;
    log.reset("select 1 from t");
    log.tokens.push_back(Token{TokenKind::word, "select", 0, false});
    std::string out;
    fingerprint_into(out, log);
    CHECK(out == "SELECT ? FROM t");
}

TEST_CASE("router fingerprint: sql_mode's quoting is the classifier's") {
    CHECK(fingerprint("SELECT \"a\" FROM t") == "SELECT ? FROM t");
    CHECK(fingerprint("SELECT \"a\" FROM t", {.ansi_quotes = true}) == "SELECT `a` FROM t");
    TokenLog log;
    (void)classify("SELECT \"a\" FROM t", {{.ansi_quotes = true}, &log});
    std::string out;
    fingerprint_into(out, log);
    CHECK(out == "SELECT `a` FROM t");
}

TEST_CASE("router fingerprint: statements that differ in literals only share a digest") {
    CHECK(fingerprint("SELECT * FROM t WHERE id = 1") == fingerprint("select *  from t where id=2 -- x"));
    CHECK(digest_hash(fingerprint("SELECT 1")) == digest_hash(fingerprint("select 99")));
    CHECK(digest_hash(fingerprint("SELECT a FROM t")) != digest_hash(fingerprint("SELECT b FROM t")));
    CHECK(fingerprint("SELECT * FROM t WHERE id IN (1,2)") == fingerprint("SELECT * FROM t WHERE id IN (7)"));
}

TEST_CASE("router fingerprint: bounded length, unterminated input") {
    std::string huge = "SELECT " + std::string(5000, 'a');
    CHECK(fingerprint(huge).size() == kMaxFingerprint);
    std::string many = "SELECT 1";
    for (int i = 0; i < 2000; ++i) many += ", col" + std::to_string(i);
    CHECK(fingerprint(many).size() <= kMaxFingerprint);
    CHECK(fingerprint("SELECT 'unterminated") == "SELECT ?");
    CHECK(fingerprint("SELECT /* open") == "SELECT");
}

TEST_CASE("router fingerprint: keyword list is sorted") {
    CHECK(is_fingerprint_keyword("select"));
    CHECK(is_fingerprint_keyword("Where"));
    CHECK(is_fingerprint_keyword("ZEROFILL"));
    CHECK(is_fingerprint_keyword("ADD"));
    CHECK_FALSE(is_fingerprint_keyword("users"));
}
