#include "router/lexer.hpp"

#include <array>

namespace sluice::router {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
// Letters, digits, '_', '$' and every byte of a multi-byte UTF-8 character: one table load per byte.
constexpr std::array<bool, 256> kIdentBytes = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '$' || c >= 0x80;
    return t;
}();

bool is_ident(char c) {
    return kIdentBytes[static_cast<unsigned char>(c)];
}
char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool is_backend_name(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_ident(c) && c != '-' && c != '.' && c != ':') return false;
    return true;
}

// "backend=NAME" with optional spaces around '='.
HintComment parse_backend_hint(std::string_view rest) {
    rest = trim(rest.substr(7));
    if (rest.empty() || rest.front() != '=') return {HintKind::invalid, {}};
    std::string_view name = trim(rest.substr(1));
    if (!is_backend_name(name)) return {HintKind::invalid, {}};
    return {HintKind::backend, name};
}

bool all_of(std::string_view s, bool (*pred)(char)) {
    for (char c : s)
        if (!pred(c)) return false;
    return !s.empty();
}
bool is_hex(char c) {
    return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f');
}
bool is_bit(char c) {
    return c == '0' || c == '1';
}

// Digits, then an exponent already swallowed by the identifier scan ("1e5"), or not.
bool is_number_text(std::string_view s) {
    if (all_of(s, is_digit)) return true;
    if (s.size() > 2 && s[0] == '0' && lower(s[1]) == 'x') return all_of(s.substr(2), is_hex);
    if (s.size() > 2 && s[0] == '0' && lower(s[1]) == 'b') return all_of(s.substr(2), is_bit);
    std::size_t e = s.find_first_of("eE");
    if (e == std::string_view::npos || e == 0) return false;
    return all_of(s.substr(0, e), is_digit) && (e + 1 == s.size() || all_of(s.substr(e + 1), is_digit));
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

Token Lexer::lex() {
    skip_space_and_comments();
    std::size_t start = pos_;
    if (start >= sql_.size()) {
        if (in_executable_comment_) unterminated_ = true;  // "/*!40101 SET NAMES utf8" without its "*/"
        return Token{TokenKind::end, {}, sql_.size(), false};
    }
    char c = sql_[start];
    bool backslash = !options_.no_backslash_escapes;
    switch (c) {
        case '\'': return quoted(TokenKind::string, c, start, backslash);
        case '"':
            if (options_.ansi_quotes) return quoted(TokenKind::quoted_name, c, start, false);
            return quoted(TokenKind::string, c, start, backslash);
        case '`': return quoted(TokenKind::quoted_name, c, start, false);
        case '@': return at_sign(start);
        case '?': ++pos_; return Token{TokenKind::placeholder, sql_.substr(start, 1), start, false};
        case ';': ++pos_; return Token{TokenKind::semicolon, sql_.substr(start, 1), start, false};
        default: break;
    }
    if (is_digit(c)) return number_or_word(start);
    if (is_ident(c)) return word(start);
    return op(start);
}

void Lexer::skip_space_and_comments() {
    while (pos_ < sql_.size()) {
        char c = sql_[pos_];
        if (is_space(c)) {
            ++pos_;
        } else if (in_executable_comment_ && c == '*' && at(pos_ + 1) == '/') {
            in_executable_comment_ = false;
            pos_ += 2;
        } else if (c == '#') {
            skip_line();
        } else if (c == '-' && at(pos_ + 1) == '-' &&
                   (pos_ + 2 >= sql_.size() || static_cast<unsigned char>(sql_[pos_ + 2]) <= ' ')) {
            skip_line();
        } else if (c == '/' && at(pos_ + 1) == '*') {
            if (!skip_block_comment()) return;
        } else {
            return;
        }
    }
}

bool Lexer::skip_block_comment() {
    std::size_t p = pos_ + 2;
    std::size_t max_digits = 0;
    if (at(p) == '!') {
        p += 1;
        max_digits = 5;
    } else if (at(p) == 'M' && at(p + 1) == '!') {
        p += 2;
        max_digits = 6;
    }
    if (max_digits != 0) {
        for (std::size_t n = 0; n < max_digits && is_digit(at(p)); ++n) ++p;
        pos_ = p;
        in_executable_comment_ = true;
        return true;  // its content is code: keep skipping spaces, then lex it
    }
    std::size_t close = sql_.find("*/", pos_ + 2);
    if (close == std::string_view::npos) {
        unterminated_ = true;
        pos_ = sql_.size();
        return true;
    }
    note_hint(sql_.substr(pos_ + 2, close - pos_ - 2));
    pos_ = close + 2;
    return true;
}

void Lexer::skip_line() {
    while (pos_ < sql_.size() && sql_[pos_] != '\n') ++pos_;
}

void Lexer::note_hint(std::string_view body) {
    if (hint_.kind != HintKind::none && hint_.kind != HintKind::invalid) return;  // the first valid hint wins
    body = trim(body);
    if (!starts_with_ci(body, "sluice:")) return;
    std::string_view rest = trim(body.substr(7));
    if (iequals(rest, "primary")) {
        hint_ = {HintKind::primary, {}};
    } else if (iequals(rest, "replica")) {
        hint_ = {HintKind::replica, {}};
    } else if (starts_with_ci(rest, "backend")) {
        hint_ = parse_backend_hint(rest);
    } else {
        hint_ = {HintKind::invalid, {}};
    }
}

Token Lexer::quoted(TokenKind kind, char quote, std::size_t start, bool backslash) {
    std::size_t i = start + 1;
    while (i < sql_.size()) {
        char c = sql_[i];
        if (backslash && c == '\\') {
            i += 2;
        } else if (c == quote && at(i + 1) == quote) {
            i += 2;
        } else if (c == quote) {
            pos_ = i + 1;
            return Token{kind, sql_.substr(start + 1, i - start - 1), start, false};
        } else {
            ++i;
        }
    }
    unterminated_ = true;
    pos_ = sql_.size();
    return Token{kind, sql_.substr(start + 1), start, true};
}

Token Lexer::at_sign(std::size_t start) {
    std::size_t i = start + 1;
    if (at(i) == '@') {
        ++i;
        while (i < sql_.size() && (is_ident(sql_[i]) || sql_[i] == '.')) ++i;
        if (i == start + 2) return op(start);
        pos_ = i;
        return Token{TokenKind::system_var, sql_.substr(start + 2, i - start - 2), start, false};
    }
    char q = at(i);
    if (q == '\'' || q == '"' || q == '`') {
        Token t = quoted(TokenKind::user_var, q, i, q != '`' && !options_.no_backslash_escapes);
        t.offset = start;
        return t;
    }
    while (i < sql_.size() && (is_ident(sql_[i]) || sql_[i] == '.')) ++i;
    if (i == start + 1) return op(start);
    pos_ = i;
    return Token{TokenKind::user_var, sql_.substr(start + 1, i - start - 1), start, false};
}

Token Lexer::number_or_word(std::size_t start) {
    std::size_t i = start;
    while (i < sql_.size() && is_digit(sql_[i])) ++i;
    if (i == sql_.size() || (!is_ident(sql_[i]) && sql_[i] != '.')) {  // the common case: digits only
        pos_ = i;
        return Token{TokenKind::number, sql_.substr(start, i - start), start, false};
    }
    i = start;
    while (i < sql_.size() && is_ident(sql_[i])) ++i;
    std::string_view text = sql_.substr(start, i - start);
    if (!is_number_text(text)) {
        pos_ = i;
        return Token{TokenKind::word, text, start, false};
    }
    if (all_of(text, is_digit) && at(i) == '.' && is_digit(at(i + 1))) {
        i += 1;
        while (is_digit(at(i))) ++i;
        if (lower(at(i)) == 'e') ++i;
    }
    bool bare_exponent = lower(sql_[i - 1]) == 'e';  // "1e" or "1.5e": a (signed) exponent follows
    if (bare_exponent && (at(i) == '+' || at(i) == '-') && is_digit(at(i + 1))) i += 1;
    if (bare_exponent) {
        while (is_digit(at(i))) ++i;
    }
    pos_ = i;
    return Token{TokenKind::number, sql_.substr(start, i - start), start, false};
}

Token Lexer::word(std::size_t start) {
    std::size_t i = start;
    while (i < sql_.size() && is_ident(sql_[i])) ++i;
    pos_ = i;
    return Token{TokenKind::word, sql_.substr(start, i - start), start, false};
}

Token Lexer::op(std::size_t start) {
    static constexpr std::string_view kLong[] = {
        "<=>", "->>", ":=", "<=", ">=", "<>", "!=", "||", "&&", "<<", ">>", "->", "@@"};
    // Most operators are one byte: '(', ')', ',', '.', '=' start no longer one.
    switch (sql_[start]) {
        case '<':
        case '>':
        case '-':
        case ':':
        case '!':
        case '|':
        case '&':
        case '@': break;
        default: pos_ = start + 1; return Token{TokenKind::op, sql_.substr(start, 1), start, false};
    }
    for (std::string_view candidate : kLong) {
        if (sql_.substr(start, candidate.size()) == candidate) {
            pos_ = start + candidate.size();
            return Token{TokenKind::op, sql_.substr(start, candidate.size()), start, false};
        }
    }
    pos_ = start + 1;
    return Token{TokenKind::op, sql_.substr(start, 1), start, false};
}

}  // namespace sluice::router
