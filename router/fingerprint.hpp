#pragma once
// A statement's fingerprint, for the query digest (SHOW QUERY DIGEST): the statement with its literals
// replaced, so that `SELECT * FROM t WHERE id = 1` and `select *  from t where id=2 -- x` count as one.
// Pure, built on the lexer (comments, strings and executable comments are handled there):
//
//  - strings, numbers (a sign in front included) and `?` placeholders become `?`;
//  - a list of literals after IN becomes `IN (...)` whatever its length;
//  - comments go, tokens are separated by one space (none inside `a.b`, `f(x)`, before `,` `)`);
//  - keywords are upper-cased; identifiers keep their case, quoted names their backquotes;
//  - a trailing `;` goes; the text is cut at kMaxFingerprint bytes (digest memory stays bounded).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "router/lexer.hpp"

namespace sluice::router {

inline constexpr std::size_t kMaxFingerprint = 1024;

// `options`: the session's sql_mode, as for classification (ANSI_QUOTES makes "x" a name).
[[nodiscard]] std::string fingerprint(std::string_view sql, LexerOptions options = {});
// The same into `out` (cleared first), whose buffer a caller reuses from statement to statement.
void fingerprint_into(std::string& out, std::string_view sql, LexerOptions options = {});
// From the tokens a classification kept (ClassifyOptions::tokens): the statement is not lexed again. A log
// that is not complete is lexed from its text with `options`.
void fingerprint_into(std::string& out, const TokenLog& log, LexerOptions options = {});

// A stable 64-bit hash of a fingerprint (FNV-1a), shown as the digest id.
[[nodiscard]] std::uint64_t digest_hash(std::string_view fingerprint);

// True for the SQL keywords the fingerprint upper-cases (ASCII case-insensitive).
[[nodiscard]] bool is_fingerprint_keyword(std::string_view word);

}  // namespace sluice::router
