// classify() on truncated statements, random bytes and pathological nesting: it must neither crash nor read
// outside its input. Each input is copied into a heap block of exactly its size, so that AddressSanitizer
// (meson setup build-asan -Db_sanitize=address,undefined) catches a read one byte too far.

#include <doctest/doctest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "router/classify.hpp"
#include "router/fingerprint.hpp"

using namespace sluice::router;

namespace {

// What must hold for any input.
void check_invariants(const Statement& st) {
    if (st.has(Flag::malformed)) CHECK(st.placement == Placement::primary);
    if (st.has(Flag::replayable)) {
        CHECK(st.placement == Placement::all);
        CHECK_FALSE(st.replay_sql.empty());
    }
    if (st.has(Flag::multi_statement)) CHECK(st.placement == Placement::primary);
    for (const TableRef& t : st.tables) CHECK_FALSE((t.name.empty() && t.schema.empty()));
}

Statement classify_exact(std::string_view text, const ClassifyOptions& options = {}) {
    INFO("text: " << std::string(text));
    std::unique_ptr<char[]> block(new char[text.size()]);
    if (!text.empty()) std::memcpy(block.get(), text.data(), text.size());
    std::string_view exact(block.get(), text.size());
    Statement st = classify(exact, options);
    check_invariants(st);

    // Keeping the tokens for the digest: every token once, in order, to the end, as a lexer of its own sees
    // them; the fingerprint from them is the one made by lexing.
    TokenLog log;
    ClassifyOptions logging = options;
    logging.tokens = &log;
    Statement logged = classify(exact, logging);
    CHECK(logged.placement == st.placement);
    Lexer lex(exact, options.lexer);
    std::size_t i = 0;
    for (Token t = lex.next(); t.kind != TokenKind::end; t = lex.next(), ++i) {
        if (i >= log.tokens.size()) continue;
        CHECK(log.tokens[i].offset == t.offset);
        CHECK(log.tokens[i].text.size() == t.text.size());
        CHECK(log.tokens[i].kind == t.kind);
    }
    if (i <= TokenLog::kMaxTokens) {
        CHECK(log.complete);
        CHECK(i == log.tokens.size());
    } else {  // too long to keep: the first kMaxTokens kept, and the log says it is not whole
        CHECK_FALSE(log.complete);
        CHECK(log.tokens.size() == TokenLog::kMaxTokens);
    }
    std::string from_log;
    fingerprint_into(from_log, log);
    CHECK(from_log == fingerprint(exact, options.lexer));
    return st;
}

const char* const kStatements[] = {
    "SELECT a, b FROM db.t1 JOIN `t 2` USING (a) WHERE c IN (SELECT d FROM t3) FOR UPDATE",
    "SELECT /* c */ 'str''s', \"dq\\\"x\", `bq``x`, @v, @@session.sql_mode, ? -- tail",
    "/*!40101 SET NAMES utf8mb4 */; /*M!100100 SELECT 1 */",
    "INSERT INTO t (a) VALUES (NEXT VALUE FOR s), (LAST_INSERT_ID()) RETURNING id",
    "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r",
    "SET SESSION sql_mode = 'ANSI', @x := (SELECT 1), GLOBAL y = 2",
    "SET STATEMENT max_statement_time=1 FOR SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 1",
    "PREPARE s FROM 'SELECT * FROM t WHERE a = ? /* x */'",
    "EXECUTE IMMEDIATE 'SELECT ''a'' FROM t'",
    "CREATE TEMPORARY TABLE IF NOT EXISTS db.tmp AS SELECT * FROM t",
    "CREATE PROCEDURE p() BEGIN DECLARE x INT; SET x = 1; SELECT x; END",
    "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
    "SHOW FULL COLUMNS FROM t FROM db LIKE 'a%'",
    "EXPLAIN FORMAT=JSON SELECT * FROM t",
    "LOCK TABLES t1 AS a READ LOCAL, t2 WRITE",
    "/* sluice: backend=db2 */ SELECT 1 # comment",
    "SELECT a->>'$.b', x'4142', 0x1F, 1.5e-3, .5 FROM t",
    "DELETE t1 FROM t1 JOIN t2 USING (a) WHERE t2.b = @x",
    "XA START 'abc', 'def', 1",
    "SELECT * FROM t PARTITION (p0) FORCE INDEX FOR JOIN (i), u",
};

}  // namespace

TEST_CASE("router classify robustness: every prefix of every statement") {
    for (const char* sql : kStatements) {
        std::string_view full(sql);
        for (std::size_t n = 0; n <= full.size(); ++n) {
            classify_exact(full.substr(0, n));
        }
    }
}

TEST_CASE("router classify robustness: random bytes") {
    std::mt19937 rng(20240601);
    const std::string alphabet =
        "'\"`\\/*!+-#@;?()., =:<>|&M0123456789abcdefxSELECTFROMWHEREFORUPDATEINTOSETNAMESUSE\n\t\x01\xc3\xa9";
    std::uniform_int_distribution<int> length(0, 120);
    std::uniform_int_distribution<int> pick(0, static_cast<int>(alphabet.size()) - 1);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int i = 0; i < 3000; ++i) {
        std::string text;
        int n = length(rng);
        bool any_byte = i % 3 == 0;
        for (int k = 0; k < n; ++k)
            text.push_back(any_byte ? static_cast<char>(byte(rng))
                                    : alphabet[static_cast<std::size_t>(pick(rng))]);
        ClassifyOptions options;
        options.lexer.no_backslash_escapes = i % 5 == 0;
        options.lexer.ansi_quotes = i % 7 == 0;
        classify_exact(text, options);
    }
}

TEST_CASE("router classify robustness: deep nesting and long inputs") {
    std::string parens = "SELECT " + std::string(100000, '(') + "1" + std::string(100000, ')') + " FROM t";
    CHECK(classify_exact(parens).placement == Placement::replica_ok);
    std::string open_parens(100000, '(');
    CHECK(classify_exact(open_parens).verb == Verb::unknown);
    std::string analyze;
    for (int i = 0; i < 10000; ++i) analyze += "ANALYZE ";
    CHECK(classify_exact(analyze + "SELECT 1").placement == Placement::primary);
    std::string set_statement;
    for (int i = 0; i < 10000; ++i) set_statement += "SET STATEMENT a=1 FOR ";
    CHECK(classify_exact(set_statement + "SELECT 1").placement == Placement::primary);
    std::string with;
    for (int i = 0; i < 10000; ++i) with += "WITH a AS (SELECT 1) ";
    CHECK(classify_exact(with + "SELECT 1").placement == Placement::primary);
    std::string prepare = "SELECT 1";
    for (int i = 0; i < 20; ++i) {
        std::string quoted;
        for (char ch : prepare) quoted += ch == '\'' ? std::string("''") : std::string(1, ch);
        prepare = "PREPARE s FROM '" + quoted + "'";
    }
    CHECK(classify_exact(prepare).verb == Verb::prepare);
    std::string many_tables = "SELECT * FROM t0";
    for (int i = 1; i < 2000; ++i) many_tables += ", t" + std::to_string(i);
    CHECK(classify_exact(many_tables).tables.size() == 2000);
    std::string bulk = "INSERT INTO t VALUES (1,'a')";
    for (int i = 0; i < 50000; ++i) bulk += ",(1,'a')";
    CHECK(classify_exact(bulk).kind == Kind::write);
    std::string multi;
    for (int i = 0; i < 5000; ++i) multi += "SELECT 1;";
    CHECK(classify_exact(multi).has(Flag::multi_statement));
}
