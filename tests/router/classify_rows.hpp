#pragma once
// The classifier's test table format: one {sql, kind, verb, placement, flags} row per case. Rows compare all
// five so that a change anywhere shows up; messages print names, not numbers.

#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "router/classify.hpp"
#include "router/fingerprint.hpp"

namespace sluice::router::test {

struct ClassifyRow {
    const char* sql;
    Kind kind;
    Verb verb;
    Placement placement;
    Flags flags;
};

// Every token of `sql`, from a lexer of its own.
inline std::vector<Token> all_tokens(std::string_view sql) {
    std::vector<Token> out;
    Lexer lex(sql);
    for (Token t = lex.next(); t.kind != TokenKind::end; t = lex.next()) out.push_back(t);
    return out;
}

inline void check_row(const ClassifyRow& r) {
    Statement st = classify(r.sql);
    INFO("sql: " << std::string(r.sql));
    CHECK(to_string(st.kind) == to_string(r.kind));
    CHECK(to_string(st.verb) == to_string(r.verb));
    CHECK(to_string(st.placement) == to_string(r.placement));
    CHECK(to_string(st.flags) == to_string(r.flags));

    // Keeping the tokens (for the digest) changes nothing, and keeps each token once, in order, to the end;
    // the fingerprint made from them is the one made by lexing.
    TokenLog log;
    Statement logged = classify(r.sql, {{}, &log});
    CHECK(to_string(logged.flags) == to_string(st.flags));
    CHECK(to_string(logged.placement) == to_string(st.placement));
    CHECK(log.complete);
    std::vector<Token> expected = all_tokens(r.sql);
    REQUIRE(log.tokens.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CHECK(log.tokens[i].offset == expected[i].offset);
        CHECK(log.tokens[i].text == expected[i].text);
        CHECK(log.tokens[i].kind == expected[i].kind);
    }
    std::string from_log;
    fingerprint_into(from_log, log);
    CHECK(from_log == fingerprint(r.sql));
}

template <std::size_t N>
void check_rows(const ClassifyRow (&rows)[N]) {
    for (const ClassifyRow& r : rows) check_row(r);
}

}  // namespace sluice::router::test
