// SQL-level prepared statements. PREPARE is a session command (every backend the session holds prepares it,
// and the history keeps it for new ones); EXECUTE goes where its text may run, which route() learns from the
// session (SessionState::prepared); EXECUTE IMMEDIATE 'text' is classified as its text.

#include "router/classify_internal.hpp"
#include "router/words.hpp"

namespace sluice::router::detail {

namespace {

// PREPARE's text: a literal is classified; a variable's content is unknown.
void note_prepared_text(Cursor& c, Statement& st, Context& ctx) {
    if (c.tok().kind == TokenKind::user_var) add_unique(st.vars_read, "@" + to_lower(c.tok().text));
    if (c.tok().kind != TokenKind::string) return;
    Token next = c.peek();
    if (next.kind != TokenKind::end && next.kind != TokenKind::semicolon)
        return;  // 'a' 'b' concatenation etc.
    Statement inner = classify_nested(string_value(c.tok(), ctx.options.lexer), ctx);
    st.prepared_read = inner.placement == Placement::replica_ok && !inner.has(Flag::multi_statement) &&
                       !inner.has(Flag::user_var_read);
    st.tables = std::move(inner.tables);
}

}  // namespace

// PREPARE name FROM {'text' | @var}
Body head_prepare(Cursor& c, Statement& st, Context& ctx) {
    if (!is_name(c.tok())) return Body::skip;
    set_class(st, Kind::session, Verb::prepare, Placement::all);
    st.flags.set(Flag::replayable);
    st.prepared_name = to_lower(name_of(c.tok()));
    c.advance();
    if (c.accept("FROM")) note_prepared_text(c, st, ctx);
    return Body::skip;
}

// EXECUTE name [USING expr, ...] | EXECUTE IMMEDIATE {'text' | expr} [USING ...]
Body head_execute(Cursor& c, Statement& st, Context& ctx) {
    if (c.is("IMMEDIATE") && c.peek().kind == TokenKind::string) {
        c.advance();
        st = classify_nested(string_value(c.tok(), ctx.options.lexer), ctx);
        st.verb = Verb::execute;
        if (st.has(Flag::multi_statement)) st.placement = Placement::primary;
        if (st.placement ==
            Placement::all) {  // a session command run this way is not replayed: stay on the primary
            st.placement = Placement::primary;
            st.flags.set(Flag::locks_session);
        }
        st.flags.clear(Flag::replayable);
        st.replay_sql.clear();
        return Body::skip;
    }
    set_class(st, Kind::other, Verb::execute, Placement::primary);
    if (c.accept("IMMEDIATE") || !is_name(c.tok())) return Body::skip;
    st.placement = Placement::primary_by_default;
    st.prepared_name = to_lower(name_of(c.tok()));
    c.advance();
    for (; !c.at_end(); c.advance()) {
        if (c.tok().kind == TokenKind::user_var) {
            add_unique(st.vars_read, "@" + to_lower(c.tok().text));
            st.flags.set(Flag::user_var_read);
        }
    }
    return Body::skip;
}

// DEALLOCATE PREPARE name (DROP PREPARE name comes here from classify_ddl.cpp)
Body head_deallocate(Cursor& c, Statement& st, Context&) {
    c.accept("PREPARE");
    if (!is_name(c.tok())) return Body::skip;
    set_class(st, Kind::session, Verb::deallocate, Placement::all);
    st.flags.set(Flag::replayable);
    st.prepared_name = to_lower(name_of(c.tok()));
    return Body::skip;
}

}  // namespace sluice::router::detail
