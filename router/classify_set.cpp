// SET in all its forms, and USE: the statements that make up the session-command history.
//
//   SET NAMES x [COLLATE y] | SET CHARACTER SET x | SET CHARSET x       -> every backend, replayed
//   SET [GLOBAL | SESSION | LOCAL] TRANSACTION ...                       -> see head_set_transaction
//   SET [GLOBAL|SESSION|LOCAL] var = expr, @@[global.|session.]var = expr, @x = expr, ...
//   SET ROLE r                                                           -> every backend, replayed
//   SET PASSWORD ..., SET DEFAULT ROLE ...                               -> account changes: DDL, primary
//   SET STATEMENT var = expr [, ...] FOR statement                       -> classified as `statement`
//
// A scope keyword applies to the assignment it precedes (SET GLOBAL a = 1, b = 2 sets the session's b):
// reading it so is the cautious choice, as a statement mixing GLOBAL and session assignments then keeps the
// session on the primary.

#include "router/classify_internal.hpp"
#include "router/words.hpp"

namespace sluice::router::detail {

namespace {

constexpr std::string_view kCharsetVars[] = {"character_set_client", "character_set_connection",
                                             "character_set_results", "collation_connection"};

void session_command(Statement& st, Verb verb) {
    set_class(st, Kind::session, verb, Placement::all);
    st.flags.set(Flag::replayable);
}

Body head_set_charset(Cursor& c, Statement& st, Verb verb) {
    session_command(st, verb);
    for (std::string_view v : kCharsetVars) add_unique(st.vars_assigned, std::string(v));
    if (is_name(c.tok()) || c.tok().kind == TokenKind::string) st.charset = to_lower(c.tok().text);
    return Body::skip;
}

// SET [GLOBAL | SESSION] TRANSACTION {ISOLATION LEVEL ... | READ ONLY | READ WRITE} [, ...]
// Without a scope it is about the next transaction only: sent where the session is, never replayed.
Body head_set_transaction(Cursor& c, Statement& st, bool global, bool session) {
    set_class(st, Kind::session, Verb::set_transaction, global ? Placement::primary : Placement::all);
    if (global) st.flags.set(Flag::global_scope);
    if (session) st.flags.set(Flag::replayable);
    if (!global && !session) st.flags.set(Flag::next_transaction);
    while (!c.at_end()) {
        if (c.accept("ISOLATION")) {
            add_unique(st.vars_assigned, "transaction_isolation");
        } else if (c.accept("READ")) {
            if (c.is("ONLY") || c.is("WRITE")) {
                st.read_only = c.is("ONLY");
                add_unique(st.vars_assigned, "transaction_read_only");
            }
        }
        c.advance();
    }
    return Body::skip;
}

std::optional<bool> bool_of(const Token& t) {
    std::string_view v = t.text;
    if (t.kind == TokenKind::number) {
        if (v == "0") return false;
        if (v == "1") return true;
        return std::nullopt;
    }
    if (t.kind != TokenKind::word && t.kind != TokenKind::string) return std::nullopt;
    if (iequals(v, "ON") || iequals(v, "TRUE") || v == "1") return true;
    if (iequals(v, "OFF") || iequals(v, "FALSE") || v == "0") return false;
    if (t.kind == TokenKind::word && iequals(v, "DEFAULT")) return true;  // both variables default to 1 / OFF
    return std::nullopt;
}

struct Target {
    std::string name;  // "@x" or a lower-case system variable
    bool global = false;
};

// The variable an assignment sets, with its scope; the cursor moves past it.
std::optional<Target> read_target(Cursor& c) {
    Target t;
    if (c.accept("GLOBAL")) {
        t.global = true;
    } else if (!c.accept("SESSION")) {
        c.accept("LOCAL");
    }
    const Token& tok = c.tok();
    if (tok.kind == TokenKind::user_var) {
        t.name = "@" + to_lower(tok.text);
    } else if (tok.kind == TokenKind::system_var) {
        t.name = to_lower(tok.text);
        if (t.name.rfind("global.", 0) == 0) {
            t.global = true;
            t.name.erase(0, 7);
        } else if (t.name.rfind("session.", 0) == 0) {
            t.name.erase(0, 8);
        } else if (t.name.rfind("local.", 0) == 0) {
            t.name.erase(0, 6);
        }
    } else if (is_name(tok)) {
        t.name = to_lower(name_of(tok));
    } else {
        return std::nullopt;
    }
    c.advance();
    return t;
}

// The value of one assignment, up to a ',' outside parentheses: notes the variables it reads and, for the
// variables with a meaning here, the value itself.
void read_value(Cursor& c, Statement& st, const Target& target, const Context& ctx) {
    Token first = c.tok();
    int tokens = 0;
    int depth = 0;
    while (!c.at_end() && !(depth == 0 && c.is_op(","))) {
        const Token& t = c.tok();
        if (c.is_op("(")) ++depth;
        if (c.is_op(")")) --depth;
        if (t.kind == TokenKind::user_var) add_unique(st.vars_read, "@" + to_lower(t.text));
        if (t.kind == TokenKind::system_var) {
            std::string name = to_lower(t.text);
            std::size_t dot = name.find('.');
            if (dot != std::string::npos) name.erase(0, dot + 1);
            if (is_server_variable(name)) st.flags.set(Flag::server_variable);
            add_unique(st.vars_read, std::move(name));
        }
        ++tokens;
        c.advance();
    }
    if (tokens != 1) return;
    if (target.name == "autocommit") st.autocommit = bool_of(first);
    if (target.name == "transaction_read_only" || target.name == "tx_read_only")
        st.read_only = bool_of(first);
    if (target.name == "sql_mode" && first.kind == TokenKind::string)
        st.sql_mode = string_value(first, ctx.options.lexer);
}

Body head_assignments(Cursor& c, Statement& st, Context& ctx) {
    set_class(st, Kind::session, Verb::set, Placement::all);
    bool any_global = false;
    bool any_session = false;
    if (c.at_end()) {
        st.placement = Placement::primary;  // a bare SET: the server will say what is wrong
        return Body::skip;
    }
    while (!c.at_end()) {
        std::optional<Target> target = read_target(c);
        if (!target || !(c.accept_op("=") || c.accept_op(":="))) {
            set_class(st, Kind::session, Verb::set,
                      Placement::primary);  // not understood: the server will say
            return Body::skip;
        }
        (target->global ? any_global : any_session) = true;
        add_unique(st.vars_assigned, target->name);
        read_value(c, st, *target, ctx);
        if (!c.accept_op(",")) break;
    }
    if (any_global) {
        st.placement = Placement::primary;
        st.flags.set(Flag::global_scope);
        if (any_session) st.flags.set(Flag::locks_session);
    } else {
        st.flags.set(Flag::replayable);
    }
    return Body::scan;  // for functions and subqueries in the values
}

// SET STATEMENT a = 1 [, ...] FOR statement: the settings last for that statement only.
Body head_set_statement(Cursor& c, Statement& st, Context& ctx) {
    int depth = 0;
    while (!c.at_end() && !(depth == 0 && c.is("FOR"))) {
        if (c.is_op("(")) ++depth;
        if (c.is_op(")")) --depth;
        c.advance();
    }
    if (!c.accept("FOR")) return Body::skip;
    parse_statement(c, st, ctx);
    return Body::skip;
}

}  // namespace

Body head_set(Cursor& c, Statement& st, Context& ctx) {
    if (c.accept("NAMES")) return head_set_charset(c, st, Verb::set_names);
    if (c.accept("CHARSET")) return head_set_charset(c, st, Verb::set_charset);
    if (c.is("CHARACTER") && c.next_is("SET")) {
        c.advance();
        c.advance();
        return head_set_charset(c, st, Verb::set_charset);
    }
    if (c.is("PASSWORD") || (c.is("DEFAULT") && c.next_is("ROLE"))) {
        set_class(st, Kind::ddl, Verb::set, Placement::primary);
        return Body::skip;
    }
    if (c.accept("ROLE")) {
        session_command(st, Verb::set);
        st.vars_assigned.push_back("role");
        return Body::skip;
    }
    if (c.accept("STATEMENT")) return head_set_statement(c, st, ctx);
    if (c.accept("TRANSACTION")) return head_set_transaction(c, st, false, false);
    if ((c.is("GLOBAL") || c.is("SESSION") || c.is("LOCAL")) && c.next_is("TRANSACTION")) {
        bool global = c.is("GLOBAL");
        c.advance();
        c.advance();
        return head_set_transaction(c, st, global, !global);
    }
    return head_assignments(c, st, ctx);
}

Body head_use(Cursor& c, Statement& st, Context&) {
    session_command(st, Verb::use);
    if (is_name(c.tok())) {
        st.database = name_of(c.tok());
    } else {
        set_class(st, Kind::session, Verb::use, Placement::primary);  // USE without a name: an error anyway
        st.flags.clear(Flag::replayable);
    }
    return Body::skip;
}

}  // namespace sluice::router::detail
