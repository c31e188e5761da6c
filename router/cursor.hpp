#pragma once
// A one-token window over the lexer for the classifier's hand-written readers, with one token of look-ahead.

#include <string_view>

#include "router/lexer.hpp"

namespace sluice::router::detail {

class Cursor {
  public:
    // `log`, when given, keeps the statement's tokens (see TokenLog); it must be reset for `sql`.
    Cursor(std::string_view sql, LexerOptions options, TokenLog* log = nullptr)
        : lexer_(sql, options), ahead_(sql, options) {
        lexer_.log_to(log);
        advance();
    }

    const Token& tok() const { return tok_; }
    // The token after tok(), lexed once: advance() then takes it (and the lexer's state after it) instead of
    // lexing it again — the body scan peeks after nearly every word ("is a '(' next?").
    const Token& peek() const {
        if (!ahead_valid_) {
            ahead_ = lexer_;
            ahead_tok_ = ahead_.next();
            ahead_valid_ = true;
        }
        return ahead_tok_;
    }
    void advance() {
        if (ahead_valid_) {
            lexer_ = ahead_;
            tok_ = ahead_tok_;
            ahead_valid_ = false;
        } else {
            tok_ = lexer_.next();
        }
    }

    // The end of the current statement: ';' (outside a routine body) or the end of the input.
    bool at_end() const {
        return tok_.kind == TokenKind::end || (tok_.kind == TokenKind::semicolon && !compound_);
    }
    void set_compound(bool on) { compound_ = on; }

    bool is(std::string_view keyword) const {
        return tok_.kind == TokenKind::word && iequals(tok_.text, keyword);
    }
    bool is_op(std::string_view op) const { return tok_.kind == TokenKind::op && tok_.text == op; }
    bool next_is(std::string_view keyword) const {
        const Token& t = peek();
        return t.kind == TokenKind::word && iequals(t.text, keyword);
    }
    bool next_is_op(std::string_view op) const {
        const Token& t = peek();
        return t.kind == TokenKind::op && t.text == op;
    }
    bool accept(std::string_view keyword) {
        if (!is(keyword)) return false;
        advance();
        return true;
    }
    bool accept_op(std::string_view op) {
        if (!is_op(op)) return false;
        advance();
        return true;
    }
    // Skips to the end of the statement.
    void skip_to_end() {
        while (!at_end()) advance();
    }

    const Lexer& lexer() const { return lexer_; }

  private:
    Lexer lexer_;
    Token tok_;
    mutable Lexer ahead_;  // valid when ahead_valid_: the lexer after ahead_tok_
    mutable Token ahead_tok_;
    mutable bool ahead_valid_ = false;
    bool compound_ = false;
};

}  // namespace sluice::router::detail
