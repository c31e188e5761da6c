#include <algorithm>

#include "router/classify_internal.hpp"
#include "router/words.hpp"

namespace sluice::router::detail {

void set_class(Statement& st, Kind kind, Verb verb, Placement placement) {
    st.kind = kind;
    st.verb = verb;
    st.placement = placement;
}

bool is_name(const Token& t) {
    return t.kind == TokenKind::word || t.kind == TokenKind::quoted_name;
}

std::string name_of(const Token& t) {
    if (t.kind != TokenKind::quoted_name) return std::string(t.text);
    std::string out;
    out.reserve(t.text.size());
    for (std::size_t i = 0; i < t.text.size(); ++i) {
        out.push_back(t.text[i]);
        if ((t.text[i] == '`' || t.text[i] == '"') && i + 1 < t.text.size() && t.text[i + 1] == t.text[i])
            ++i;
    }
    return out;
}

std::string string_value(const Token& t, const LexerOptions& options) {
    std::string out;
    out.reserve(t.text.size());
    for (std::size_t i = 0; i < t.text.size(); ++i) {
        char c = t.text[i];
        bool has_next = i + 1 < t.text.size();
        if (c == '\\' && !options.no_backslash_escapes && has_next) {
            char e = t.text[++i];
            switch (e) {
                case 'n': out.push_back('\n'); break;
                case 't': out.push_back('\t'); break;
                case 'r': out.push_back('\r'); break;
                case '0': out.push_back('\0'); break;
                case 'Z': out.push_back('\x1a'); break;
                case 'b': out.push_back('\b'); break;
                default: out.push_back(e); break;
            }
        } else if ((c == '\'' || c == '"') && has_next && t.text[i + 1] == c) {
            out.push_back(c);
            ++i;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

bool read_table_name(Cursor& c, TableRef& out) {
    if (!is_name(c.tok())) return false;
    if (c.tok().kind == TokenKind::word && is_clause_keyword(c.tok().text)) return false;
    std::string first = name_of(c.tok());
    c.advance();
    if (c.is_op(".") && is_name(c.peek())) {
        c.advance();
        out.schema = std::move(first);
        out.name = name_of(c.tok());
        c.advance();
    } else {
        out.schema.clear();
        out.name = std::move(first);
    }
    return true;
}

void add_table(Statement& st, TableRef table) {
    if (table.name.empty() || (table.schema.empty() && iequals(table.name, "DUAL"))) return;
    if (std::find(st.tables.begin(), st.tables.end(), table) == st.tables.end())
        st.tables.push_back(std::move(table));
}

void add_unique(std::vector<std::string>& names, std::string name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
}

void skip_parens(Cursor& c) {
    int depth = 0;
    while (!c.at_end()) {
        if (c.is_op("(")) ++depth;
        if (c.is_op(")") && --depth <= 0) {
            c.advance();
            return;
        }
        c.advance();
    }
}

void take_compound(Cursor& c, Statement& st) {
    st.flags.set(Flag::compound_body);
    c.set_compound(true);
    c.skip_to_end();
}

Statement classify_nested(std::string_view sql, Context& ctx) {
    constexpr int kMaxDepth = 8;
    if (ctx.depth >= kMaxDepth) return Statement{};
    Context inner{sql, ctx.options, {}, ctx.depth + 1};
    Cursor c(sql, ctx.options.lexer);
    Statement st;
    parse_statement(c, st, inner);
    while (c.tok().kind == TokenKind::semicolon) c.advance();
    if (c.tok().kind != TokenKind::end) st.flags.set(Flag::multi_statement);
    if (c.lexer().saw_unterminated()) {
        st.flags.set(Flag::malformed);
        st.placement = Placement::primary;
    }
    return st;
}

}  // namespace sluice::router::detail
