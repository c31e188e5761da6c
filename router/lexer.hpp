#pragma once
// SQL tokens over a string_view, without allocation. This is the one place that knows about comments, string
// literals, quoted identifiers and MariaDB's executable comments; everything after it sees tokens only.
//
//  - `-- ` (two dashes then a space, a control character or the end), `#` and `/* */` are comments, and so
//  are
//    optimizer hints `/*+ ... */`.
//  - `/*! ... */`, `/*!50100 ... */`, `/*M! ... */` and `/*M!100100 ... */` are executable comments: MariaDB
//  runs
//    their content (it is newer than any version such a comment names), so it is lexed as code.
//  - `/* sluice: primary */`, `/* sluice: replica */` and `/* sluice: backend=NAME */` are routing hints:
//  they are
//    comments, and the first one in the statement is reported by hint(). Any other `/* sluice: ... */` is
//    reported as HintKind::invalid so that logs can say why it was ignored.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace sluice::router {

enum class TokenKind : std::uint8_t {
    end,          // no more tokens (returned again and again)
    word,         // keyword or unquoted identifier
    quoted_name,  // `name` (or "name" under ANSI_QUOTES); text is between the quotes, escapes untouched
    string,       // '...' or "..."; text is between the quotes, escapes untouched
    number,       // 12, 1.5e3, 0x1F, 0b101
    user_var,     // @name, @'name', @"name", @`name`: text is the name
    system_var,   // @@name, @@session.name: text is what follows "@@"
    placeholder,  // ?
    op,           // operators and punctuation: ( ) , . = := <=> ...
    semicolon,
};

struct Token {
    TokenKind kind = TokenKind::end;
    std::string_view text;
    std::size_t offset = 0;     // where the token starts in the input (at its quote or '@')
    bool unterminated = false;  // a string or quoted name that ran to the end of the input
};

enum class HintKind : std::uint8_t { none, primary, replica, backend, invalid };

struct HintComment {
    HintKind kind = HintKind::none;
    std::string_view backend;  // HintKind::backend: the name
};

struct LexerOptions {
    bool no_backslash_escapes = false;  // sql_mode NO_BACKSLASH_ESCAPES: '\' is an ordinary character
    bool ansi_quotes = false;           // sql_mode ANSI_QUOTES: "..." is an identifier
};

// The tokens of one statement, in order, kept by a lexer and its copies as they meet them: the classifier
// keeps them so that the fingerprint (the query digest) need not lex the statement a second time. A token is
// kept when it is the next one after the last kept (lexing is deterministic: whichever copy of the lexer
// meets a token first keeps it; a copy that looks ahead or goes back keeps nothing twice).
struct TokenLog {
    // A longer statement is not kept whole (`complete` stays false): memory stays bounded, and the
    // fingerprint, cut at 1 KiB anyway, lexes it itself.
    static constexpr std::size_t kMaxTokens = 4096;
    static constexpr std::size_t kFull = static_cast<std::size_t>(-1);

    std::string_view sql;       // the text the tokens are of
    std::vector<Token> tokens;  // every token up to the end (TokenKind::end itself not kept) when `complete`
    std::size_t next_from = 0;  // the position right after the last token kept (kFull: no more kept)
    bool complete = false;

    void reset(std::string_view text) {
        sql = text;
        tokens.clear();
        next_from = 0;
        complete = false;
    }
};

// Copying a Lexer is cheap, and is how callers look ahead.
class Lexer {
  public:
    explicit Lexer(std::string_view sql, LexerOptions options = {}) : sql_(sql), options_(options) {}

    Token next() {
        if (!log_) return lex();
        std::size_t from = pos_;
        Token t = lex();
        if (from == log_->next_from && !log_->complete) {
            if (t.kind == TokenKind::end) {
                log_->complete = true;
            } else if (log_->tokens.size() < TokenLog::kMaxTokens) {
                log_->tokens.push_back(t);
                log_->next_from = pos_;
            } else {
                log_->next_from = TokenLog::kFull;
            }
        }
        return t;
    }
    // Keeps the tokens this lexer and its copies meet in `log` (which must be of the same text, reset, and
    // outlive them); nullptr stops that.
    void log_to(TokenLog* log) { log_ = log; }

    // The first sluice hint comment met so far.
    const HintComment& hint() const { return hint_; }
    // A comment, string or quoted name ran to the end of the input.
    bool saw_unterminated() const { return unterminated_; }
    std::size_t position() const { return pos_; }

  private:
    Token lex();
    void skip_space_and_comments();
    bool skip_block_comment();  // at "/*": false when the comment is executable (its opener was consumed)
    void skip_line();
    void note_hint(std::string_view body);
    Token quoted(TokenKind kind, char quote, std::size_t start, bool backslash);
    Token at_sign(std::size_t start);
    Token number_or_word(std::size_t start);
    Token word(std::size_t start);
    Token op(std::size_t start);
    char at(std::size_t i) const { return i < sql_.size() ? sql_[i] : '\0'; }

    std::string_view sql_;
    LexerOptions options_;
    std::size_t pos_ = 0;
    bool in_executable_comment_ = false;
    bool unterminated_ = false;
    HintComment hint_;
    TokenLog* log_ = nullptr;
};

// ASCII case-insensitive equality, for keywords.
bool iequals(std::string_view a, std::string_view b);

}  // namespace sluice::router
