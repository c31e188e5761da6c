#include "router/fingerprint.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <vector>

#include "router/keyword_set.hpp"
#include "router/lexer.hpp"

namespace sluice::router {

namespace {

// Upper case, sorted (binary search). Words outside the list keep the case they were written in, so a
// table called `Order` in one statement and `order` in another stay apart, as they are on the server.
constexpr std::array<std::string_view, 118> kKeywords{
    "ADD",         "ALL",
    "ALTER",       "AND",
    "ANY",         "AS",
    "ASC",         "BEGIN",
    "BETWEEN",     "BINARY",
    "BY",          "CALL",
    "CASE",        "CAST",
    "COLLATE",     "COLUMN",
    "COMMIT",      "CREATE",
    "CROSS",       "DATABASE",
    "DEFAULT",     "DELETE",
    "DESC",        "DESCRIBE",
    "DISTINCT",    "DIV",
    "DO",          "DROP",
    "DUPLICATE",   "ELSE",
    "END",         "ESCAPE",
    "EXISTS",      "EXPLAIN",
    "FALSE",       "FOR",
    "FORCE",       "FROM",
    "FULL",        "GLOBAL",
    "GROUP",       "HANDLER",
    "HAVING",      "IF",
    "IGNORE",      "IN",
    "INDEX",       "INNER",
    "INSERT",      "INTERVAL",
    "INTO",        "IS",
    "JOIN",        "KEY",
    "KILL",        "LEFT",
    "LIKE",        "LIMIT",
    "LOCK",        "MOD",
    "NATURAL",     "NOT",
    "NOWAIT",      "NULL",
    "OFFSET",      "ON",
    "OR",          "ORDER",
    "OUTER",       "OVER",
    "PARTITION",   "PREPARE",
    "PRIMARY",     "PROCEDURE",
    "READ",        "RECURSIVE",
    "REGEXP",      "RELEASE",
    "RENAME",      "REPLACE",
    "RETURNING",   "RIGHT",
    "RLIKE",       "ROLLBACK",
    "SAVEPOINT",   "SCHEMA",
    "SELECT",      "SESSION",
    "SET",         "SHARE",
    "SHOW",        "SKIP",
    "START",       "STRAIGHT_JOIN",
    "TABLE",       "TABLES",
    "THEN",        "TO",
    "TRANSACTION", "TRUE",
    "TRUNCATE",    "UNION",
    "UNIQUE",      "UNLOCK",
    "UPDATE",      "USE",
    "USING",       "VALUE",
    "VALUES",      "VIEW",
    "WHEN",        "WHERE",
    "WINDOW",      "WITH",
    "WORK",        "WRITE",
    "XOR",         "ZEROFILL",
};

constexpr KeywordSet kKeywordSet{kKeywords};

// The keyword upper-cased into `buf` when `word` is one: no allocation, no locale.
std::optional<std::string_view> keyword(std::string_view word, std::array<char, kMaxPackedWord>& buf) {
    if (!kKeywordSet.contains(word)) return std::nullopt;
    for (std::size_t i = 0; i < word.size(); ++i) {
        char c = word[i];
        buf[i] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return std::string_view(buf.data(), word.size());
}

bool wordish_end(std::string_view text) {
    if (text.empty()) return false;
    char c = text.back();
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '`';
}

bool is_literal(const Token& t) {
    return t.kind == TokenKind::string || t.kind == TokenKind::number || t.kind == TokenKind::placeholder;
}

// The fingerprint under construction: its last token decides the spacing and whether a sign is unary.
// It writes into a caller's string (a buffer reused from statement to statement) and keeps, of the last
// token, only what the rules ask (its end offset in the output and whether it names something), so that a
// token costs no allocation.
class Writer {
  public:
    explicit Writer(std::string& out) : out_(out) { out_.clear(); }

    // `text` is a token as it goes out (an operator, `?`, `(...)`); it names something when it ends like a
    // word and is not a keyword.
    void put(std::string_view text, bool glue_left = false) {
        put_raw(text, glue_left, wordish_end(text) && !kKeywordSet.contains(text));
    }
    void put_keyword(std::string_view kw) { put_raw(kw, false, false); }
    void put_name(std::string_view prefix, std::string_view text, std::string_view suffix) {
        space_before(false);
        out_ += prefix;
        out_ += text;
        out_ += suffix;
        no_space_after_ = false;
        last_ = Last::name;
    }
    // The previous token ends an operand: a following `-` is binary.
    bool after_operand() const { return last_ == Last::name || last_ == Last::operand_end; }
    // The previous token is a name (a function, a table before its column list): `(` follows it directly.
    bool after_name() const { return last_ == Last::name; }
    // The previous token was a word written right before offset `at` (`X'0A'`): a literal's prefix.
    bool glued_prefix(std::size_t at) const { return word_end_ == at && word_end_ != 0; }
    void drop_prefix() { restore(word_); }
    void mark_word(std::size_t end) {
        word_end_ = end;
        word_ = here();
    }
    void clear_word() { word_end_ = 0; }
    // Drops the sign just written (it belongs to the literal that follows).
    void drop_last() { restore(sign_); }
    void mark_sign() { sign_ = here(); }
    std::size_t size() const { return out_.size(); }

  private:
    // What the last token was, as far as the spacing and sign rules care.
    enum class Last : std::uint8_t { nothing, name, operand_end, other };
    struct Mark {
        std::size_t at = 0;
        Last last = Last::nothing;
        bool no_space_after = false;
    };

    void space_before(bool glue_left) {
        if (!out_.empty() && !glue_left && !no_space_after_) out_ += ' ';
    }
    void put_raw(std::string_view text, bool glue_left, bool name) {
        space_before(glue_left);
        out_ += text;
        no_space_after_ = text == "(" || text == "." || text == "@" || text == "@@";
        last_ = name                                          ? Last::name
                : (text == ")" || text == "?" || text == "`") ? Last::operand_end
                                                              : Last::other;
    }
    Mark here() const { return Mark{out_.size(), last_, no_space_after_}; }
    void restore(const Mark& m) {
        out_.resize(m.at);
        last_ = m.last;
        no_space_after_ = m.no_space_after;
    }

    std::string& out_;
    Last last_ = Last::nothing;
    bool no_space_after_ = false;
    Mark sign_;
    Mark word_;
    std::size_t word_end_ = 0;
};

// A token source like Lexer (next(), copied to look ahead) over the tokens a classification kept.
class LoggedTokens {
  public:
    explicit LoggedTokens(const std::vector<Token>& tokens)
        : p_(tokens.data()), end_(tokens.data() + tokens.size()) {}
    Token next() { return p_ == end_ ? Token{} : *p_++; }

  private:
    const Token* p_;
    const Token* end_;
};

// After `IN (`: a list of literals only, then `)`. True with `lex` positioned after `)`.
template <class Source>
bool literal_list(Source& lex) {
    Source look = lex;
    bool expect_value = true;
    for (;;) {
        Token t = look.next();
        if (expect_value) {
            if (t.kind == TokenKind::op && (t.text == "-" || t.text == "+")) t = look.next();
            if (!is_literal(t) && !(t.kind == TokenKind::word && iequals(t.text, "NULL"))) return false;
            expect_value = false;
        } else if (t.kind == TokenKind::op && t.text == ",") {
            expect_value = true;
        } else if (t.kind == TokenKind::op && t.text == ")") {
            lex = look;
            return true;
        } else {
            return false;
        }
    }
}

template <class Source>
void write_fingerprint(std::string& out, Source lex) {
    Writer w(out);
    bool pending_sign = false;
    for (Token t = lex.next(); t.kind != TokenKind::end && w.size() < kMaxFingerprint; t = lex.next()) {
        switch (t.kind) {
            case TokenKind::end: break;
            case TokenKind::word:
                std::array<char, kMaxPackedWord> buf;
                if (auto kw = keyword(t.text, buf)) {
                    w.put_keyword(*kw);
                    if (*kw == "IN") {
                        Source after = lex;
                        Token open = after.next();
                        if (open.kind == TokenKind::op && open.text == "(" && literal_list(after)) {
                            w.put("(...)");
                            lex = after;
                        }
                    }
                } else {
                    w.mark_word(t.offset + t.text.size());
                    w.put_name({}, t.text, {});
                    pending_sign = false;
                    continue;  // may be a literal's prefix
                }
                break;
            case TokenKind::quoted_name: w.put_name("`", t.text, "`"); break;
            case TokenKind::string:
                // X'0A', B'01', N'text', _utf8mb4'text': the prefix belongs to the literal.
                if (w.glued_prefix(t.offset)) w.drop_prefix();
                [[fallthrough]];
            case TokenKind::number:
            case TokenKind::placeholder:
                if (pending_sign) w.drop_last();
                w.put("?");
                break;
            case TokenKind::user_var: w.put_name("@", t.text, {}); break;
            case TokenKind::system_var: w.put_name("@@", t.text, {}); break;
            case TokenKind::op: {
                bool sign = (t.text == "-" || t.text == "+") && !w.after_operand();
                if (sign) w.mark_sign();
                bool glue =
                    t.text == "," || t.text == ")" || t.text == "." || (t.text == "(" && w.after_name());
                w.put(t.text, glue);
                pending_sign = sign;
                w.clear_word();
                continue;
            }
            case TokenKind::semicolon: {
                Source rest = lex;
                if (rest.next().kind != TokenKind::end) w.put(";", true);
                break;
            }
        }
        pending_sign = false;
        w.clear_word();
    }
    if (out.size() > kMaxFingerprint) out.resize(kMaxFingerprint);
}

}  // namespace

bool is_fingerprint_keyword(std::string_view word) {
    return kKeywordSet.contains(word);
}

std::string fingerprint(std::string_view sql, LexerOptions options) {
    std::string out;
    fingerprint_into(out, sql, options);
    return out;
}

void fingerprint_into(std::string& out, std::string_view sql, LexerOptions options) {
    write_fingerprint(out, Lexer(sql, options));
}

void fingerprint_into(std::string& out, const TokenLog& log, LexerOptions options) {
    if (log.complete)
        write_fingerprint(out, LoggedTokens(log.tokens));
    else
        write_fingerprint(out, Lexer(log.sql, options));
}

std::uint64_t digest_hash(std::string_view fingerprint) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : fingerprint) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

}  // namespace sluice::router
