#include "router/classify.hpp"

#include "router/classify_internal.hpp"

namespace sluice::router {

namespace detail {

void parse_statement(Cursor& c, Statement& st, Context& ctx) {
    ctx.cte_names.clear();
    Cursor start = c;
    if (parse_head(c, st, ctx) == Body::scan) {
        c = start;
        scan_body(c, st, ctx);
    }
    c.skip_to_end();
    finalize(st);
}

namespace {

Placement read_placement(Flags f) {
    constexpr Flags kPrimary = Flag::locking_read | Flag::primary_function | Flag::found_rows |
                               Flag::user_var_assign | Flag::into_file | Flag::user_lock | Flag::user_unlock |
                               Flag::user_unlock_all;
    if (f.any(kPrimary)) return Placement::primary;
    if (f.has(Flag::diagnostics)) return Placement::previous;
    // The client believes it talks to one server, the primary: what tells servers apart comes from it
    // (drivers read @@read_only to decide whether they may write).
    if (f.any(Flag::stored_function | Flag::server_variable)) return Placement::primary_by_default;
    return Placement::replica_ok;
}

bool assigns_system_variable(const Statement& st) {
    for (const std::string& v : st.vars_assigned)
        if (v.empty() || v.front() != '@') return true;
    return false;
}

// A SET the backends would evaluate differently cannot be replayed: it runs on the primary only.
void finalize_set(Statement& st) {
    if (st.placement != Placement::all) return;
    constexpr Flags kServerBound = Flag::subquery | Flag::primary_function | Flag::stored_function |
                                   Flag::found_rows | Flag::user_lock | Flag::user_unlock |
                                   Flag::user_unlock_all | Flag::diagnostics | Flag::server_variable;
    bool user_nondeterministic =
        st.has(Flag::nondeterministic) && st.vars_assigned.size() > 0 && !assigns_system_variable(st);
    if (!st.flags.any(kServerBound) && !user_nondeterministic) return;
    st.placement = Placement::primary;
    st.flags.clear(Flag::replayable);
    if (assigns_system_variable(st)) st.flags.set(Flag::locks_session);
}

// Does this statement leave state on its connection that other backends would need?
bool changes_session(const Statement& st) {
    if (st.kind == Kind::session) return true;
    if (st.verb == Verb::lock_tables || st.verb == Verb::handler) return true;
    return st.verb == Verb::create && st.has(Flag::temporary);
}

void merge_part(Statement& first, const Statement& part) {
    if (changes_session(part)) first.flags.set(Flag::locks_session);
    first.flags |= part.flags;
    for (const TableRef& t : part.tables) add_table(first, t);
    for (const std::string& v : part.vars_assigned) add_unique(first.vars_assigned, v);
    for (const std::string& v : part.vars_read) add_unique(first.vars_read, v);
}

void finalize_multi(Statement& st) {
    st.flags.set(Flag::multi_statement);
    st.flags.clear(Flag::replayable);
    st.placement = Placement::primary;
}

}  // namespace

void finalize(Statement& st) {
    switch (st.verb) {
        case Verb::select:
        case Verb::values:
        case Verb::table: st.placement = read_placement(st.flags); break;
        case Verb::do_:
            if (read_placement(st.flags) == Placement::primary) st.placement = Placement::primary;
            break;
        case Verb::set: finalize_set(st); break;
        default: break;
    }
}

}  // namespace detail

Statement classify(std::string_view sql, const ClassifyOptions& options) {
    detail::Context ctx{sql, options, {}, 0};
    if (options.tokens) options.tokens->reset(sql);
    detail::Cursor c(sql, options.lexer, options.tokens);
    Statement st;
    detail::parse_statement(c, st, ctx);
    bool multi = false;
    while (c.tok().kind == TokenKind::semicolon) {
        c.advance();
        if (c.tok().kind == TokenKind::semicolon || c.tok().kind == TokenKind::end) continue;
        if (!multi && detail::changes_session(st)) st.flags.set(Flag::locks_session);
        multi = true;
        Statement part;
        detail::parse_statement(c, part, ctx);
        detail::merge_part(st, part);
    }
    if (multi) detail::finalize_multi(st);
    // The cursor met every token on its way to the end: the log, if any, is complete.
    const HintComment& hint = c.lexer().hint();
    st.hint = Hint{hint.kind, std::string(hint.backend)};
    if (c.lexer().saw_unterminated()) {  // a truncated statement: the server will refuse it, wherever it goes
        st.flags.set(Flag::malformed);
        st.flags.clear(Flag::replayable);
        st.placement = Placement::primary;
    }
    if (st.has(Flag::replayable)) st.replay_sql = std::string(sql);
    return st;
}

}  // namespace sluice::router
