#pragma once
// A one-token window over the lexer for the classifier's hand-written readers. Look-ahead copies the lexer.

#include <string_view>

#include "router/lexer.hpp"

namespace sluice::router::detail {

class Cursor {
  public:
    Cursor(std::string_view sql, LexerOptions options) : lexer_(sql, options) { advance(); }

    const Token& tok() const { return tok_; }
    Token peek() const {
        Lexer copy = lexer_;
        return copy.next();
    }
    void advance() { tok_ = lexer_.next(); }

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
        Token t = peek();
        return t.kind == TokenKind::word && iequals(t.text, keyword);
    }
    bool next_is_op(std::string_view op) const {
        Token t = peek();
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
    bool compound_ = false;
};

}  // namespace sluice::router::detail
