#include "router/fingerprint.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

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

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

bool is_literal(const Token& t) {
    return t.kind == TokenKind::string || t.kind == TokenKind::number || t.kind == TokenKind::placeholder;
}

// The fingerprint under construction: its last token decides the spacing and whether a sign is unary.
class Writer {
  public:
    void put(std::string_view text, bool glue_left = false) {
        if (!out_.empty() && !glue_left && !no_space_after_) out_ += ' ';
        out_ += text;
        no_space_after_ = text == "(" || text == "." || text == "@" || text == "@@";
        last_ = std::string(text);
    }
    // The previous token ends an operand: a following `-` is binary.
    bool after_operand() const {
        if (last_.empty()) return false;
        if (last_ == ")" || last_ == "?" || last_ == "`") return true;
        char c = last_.back();
        bool wordish = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '`';
        return wordish && !is_fingerprint_keyword(last_);
    }
    // The previous token is a name (a function, a table before its column list): `(` follows it directly.
    bool after_name() const {
        if (last_.empty() || last_ == "?") return false;
        char c = last_.back();
        bool wordish = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '`';
        return wordish && !is_fingerprint_keyword(last_);
    }
    // The previous token was a word written right before offset `at` (`X'0A'`): a literal's prefix.
    bool glued_prefix(std::size_t at) const { return word_end_ == at && word_end_ != 0; }
    void drop_prefix() {
        out_.resize(word_at_);
        last_ = word_before_;
        no_space_after_ = word_no_space_;
    }
    void mark_word(std::size_t end) {
        word_end_ = end;
        word_at_ = out_.size();
        word_before_ = last_;
        word_no_space_ = no_space_after_;
    }
    void clear_word() { word_end_ = 0; }
    // Drops the sign just written (it belongs to the literal that follows).
    void drop_last() {
        out_.resize(sign_at_);
        last_ = sign_before_;
        no_space_after_ = sign_no_space_;
    }
    void mark_sign() {
        sign_at_ = out_.size();
        sign_before_ = last_;
        sign_no_space_ = no_space_after_;
    }
    std::string take() && { return std::move(out_); }
    std::size_t size() const { return out_.size(); }

  private:
    std::string out_;
    std::string last_;
    bool no_space_after_ = false;
    std::size_t sign_at_ = 0;
    std::string sign_before_;
    bool sign_no_space_ = false;
    std::size_t word_end_ = 0;
    std::size_t word_at_ = 0;
    std::string word_before_;
    bool word_no_space_ = false;
};

// After `IN (`: a list of literals only, then `)`. Returns the lexer positioned after `)`, or nothing.
bool literal_list(Lexer& lex) {
    Lexer look = lex;
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

}  // namespace

bool is_fingerprint_keyword(std::string_view word) {
    std::string up = upper(word);
    return std::binary_search(kKeywords.begin(), kKeywords.end(), std::string_view(up));
}

std::string fingerprint(std::string_view sql) {
    Lexer lex(sql);
    Writer w;
    bool pending_sign = false;
    for (Token t = lex.next(); t.kind != TokenKind::end && w.size() < kMaxFingerprint; t = lex.next()) {
        switch (t.kind) {
            case TokenKind::end: break;
            case TokenKind::word:
                if (is_fingerprint_keyword(t.text)) {
                    w.put(upper(t.text));
                    if (iequals(t.text, "IN")) {
                        Lexer after = lex;
                        Token open = after.next();
                        if (open.kind == TokenKind::op && open.text == "(" && literal_list(after)) {
                            w.put("(...)");
                            lex = after;
                        }
                    }
                } else {
                    w.mark_word(t.offset + t.text.size());
                    w.put(t.text);
                    pending_sign = false;
                    continue;  // may be a literal's prefix
                }
                break;
            case TokenKind::quoted_name: w.put("`" + std::string(t.text) + "`"); break;
            case TokenKind::string:
                // X'0A', B'01', N'text', _utf8mb4'text': the prefix belongs to the literal.
                if (w.glued_prefix(t.offset)) w.drop_prefix();
                [[fallthrough]];
            case TokenKind::number:
            case TokenKind::placeholder:
                if (pending_sign) w.drop_last();
                w.put("?");
                break;
            case TokenKind::user_var: w.put("@" + std::string(t.text)); break;
            case TokenKind::system_var: w.put("@@" + std::string(t.text)); break;
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
                Lexer rest = lex;
                if (rest.next().kind != TokenKind::end) w.put(";", true);
                break;
            }
        }
        pending_sign = false;
        w.clear_word();
    }
    std::string out = std::move(w).take();
    if (out.size() > kMaxFingerprint) out.resize(kMaxFingerprint);
    return out;
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
