// The lexer on its own: token kinds and texts, comments, executable comments, quoting rules; the cursor over
// it.

#include <doctest/doctest.h>

#include <string>

#include "router/cursor.hpp"
#include "router/lexer.hpp"

using namespace sluice::router;

namespace {

// "kind:text kind:text ..." with short kind names.
std::string tokens(std::string_view sql, LexerOptions options = {}) {
    static constexpr const char* kNames[] = {"end", "w", "q", "s", "n", "u", "sys", "?", "op", ";"};
    Lexer lex(sql, options);
    std::string out;
    for (int guard = 0; guard < 1000; ++guard) {
        Token t = lex.next();
        if (t.kind == TokenKind::end) break;
        if (!out.empty()) out += ' ';
        out += kNames[static_cast<int>(t.kind)];
        out += ':';
        out += std::string(t.text);
        if (t.unterminated) out += "(unterminated)";
    }
    return out;
}

}  // namespace

TEST_CASE("router lexer: tokens") {
    struct Row {
        const char* sql;
        const char* tokens;
    };
    const Row rows[] = {
        {"", ""},
        {"SELECT 1", "w:SELECT n:1"},
        {"a.b", "w:a op:. w:b"},
        {"`a``b`.`c`", "q:a``b op:. q:c"},
        {"'it''s' \"x\\\"y\"", "s:it''s s:x\\\"y"},
        {"'a\\'b'", "s:a\\'b"},
        {"@x @`y z` @'w' @@session.sql_mode @@x", "u:x u:y z u:w sys:session.sql_mode sys:x"},
        {"@ @@", "op:@ op:@@"},
        {"? ;", "?:? ;:;"},
        {"a:=1 <=> != <> <= >= -> ->> || && << >>",
         "w:a op::= n:1 op:<=> op:!= op:<> op:<= op:>= op:-> op:->> "
         "op:|| op:&& op:<< op:>>"},
        {"1 1.5 1e5 1.5e-3 0x1F 0b101 12ab", "n:1 n:1.5 n:1e5 n:1.5e-3 n:0x1F n:0b101 w:12ab"},
        {"1.5e3 2.0E10", "n:1.5e3 n:2.0E10"},  // once split after the 'e'

        {"x-1 x--1 x-- 1", "w:x op:- n:1 w:x op:- op:- n:1 w:x"},
        {"a # c\nb", "w:a w:b"},
        {"a /* c */ b /**/ c", "w:a w:b w:c"},
        {"a /*+ hint */ b", "w:a w:b"},
        {"a /*! b */ c", "w:a w:b w:c"},
        {"a /*!50100 b */ c", "w:a w:b w:c"},
        {"a /*!123456 b */", "w:a n:6 w:b"},
        {"a /*M!100100 b */ c", "w:a w:b w:c"},
        {"a /*M! b */ c", "w:a w:b w:c"},
        {"/*!40101 SET a='*/' */", "w:SET w:a op:= s:*/"},
        {"a /* unterminated", "w:a"},
        {"'unterminated", "s:unterminated(unterminated)"},
        {"`unterminated", "q:unterminated(unterminated)"},
        {"'ends with backslash\\", "s:ends with backslash\\(unterminated)"},
        {"caf\xc3\xa9 'd\xc3\xa9j\xc3\xa0'", "w:caf\xc3\xa9 s:d\xc3\xa9j\xc3\xa0"},
    };
    for (const Row& r : rows) {
        INFO("sql: " << std::string(r.sql));
        CHECK(tokens(r.sql) == r.tokens);
    }
}

TEST_CASE("router lexer: quoting follows sql_mode") {
    LexerOptions nbe;
    nbe.no_backslash_escapes = true;
    CHECK(tokens("'a\\' b", nbe) == "s:a\\ w:b");
    CHECK(tokens("'a\\' b") == "s:a\\' b(unterminated)");
    LexerOptions ansi;
    ansi.ansi_quotes = true;
    CHECK(tokens("\"a\"\"b\" 'c'", ansi) == "q:a\"\"b s:c");
}

TEST_CASE("router lexer: offsets and unterminated state") {
    Lexer lex("SELECT  @x, 'a'");
    CHECK(lex.next().offset == 0);
    CHECK(lex.next().offset == 8);
    CHECK(lex.next().offset == 10);
    CHECK(lex.next().offset == 12);
    CHECK(lex.next().kind == TokenKind::end);
    CHECK(lex.next().kind == TokenKind::end);
    CHECK_FALSE(lex.saw_unterminated());

    Lexer open("SELECT /*! 1");
    while (open.next().kind != TokenKind::end) {}
    CHECK(open.saw_unterminated());
}

// The classifier's cursor keeps the token it peeked at: advancing takes it (and the lexer's state after it,
// hint comments included), so a cursor that peeks everywhere walks exactly like one that never peeks.
TEST_CASE("router cursor: a peeked token is the next one, with the same lexer state") {
    const std::string_view sql = "SELECT /* sluice: replica */ a, b FROM t /*! WHERE x<=>1 */ -- end\n;";
    sluice::router::detail::Cursor plain(sql, {}), peeking(sql, {});
    for (int guard = 0; guard < 100 && plain.tok().kind != TokenKind::end; ++guard) {
        Token ahead = peeking.peek();
        CHECK(peeking.peek().offset == ahead.offset);  // asked twice, lexed once: the same token
        plain.advance();
        peeking.advance();
        CHECK(static_cast<int>(peeking.tok().kind) == static_cast<int>(plain.tok().kind));
        CHECK(peeking.tok().text == plain.tok().text);
        CHECK(peeking.tok().offset == ahead.offset);
        CHECK(peeking.lexer().position() == plain.lexer().position());
        CHECK(static_cast<int>(peeking.lexer().hint().kind) == static_cast<int>(plain.lexer().hint().kind));
    }
    CHECK(plain.tok().kind == TokenKind::end);
    CHECK(peeking.lexer().hint().kind == HintKind::replica);
    CHECK_FALSE(peeking.lexer().saw_unterminated());
}
