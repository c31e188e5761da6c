// The first words of a statement: a {keyword, reader} table, and the readers of the DML and one-word
// statements. The others live beside their family (classify_set.cpp, classify_show.cpp, classify_ddl.cpp,
// classify_transaction.cpp, classify_prepare.cpp).

#include "router/classify_internal.hpp"
#include "router/words.hpp"

namespace sluice::router::detail {

namespace {

// After a prefix (WITH ..., opening parentheses) a statement must follow.
Body parse_inner_head(Cursor& c, Statement& st, Context& ctx) {
    Body body = parse_head(c, st, ctx);
    if (st.verb != Verb::empty) return body;
    set_class(st, Kind::other, Verb::unknown, Placement::primary);
    return Body::skip;
}

Body head_select(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::read, Verb::select, Placement::replica_ok);
    return Body::scan;
}

Body head_values(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::read, Verb::values, Placement::replica_ok);
    return Body::scan;
}

Body head_table(Cursor& c, Statement& st, Context&) {
    set_class(st, Kind::read, Verb::table, Placement::replica_ok);
    TableRef t;
    if (read_table_name(c, t)) add_table(st, std::move(t));
    return Body::scan;
}

// WITH [RECURSIVE] name [(columns)] AS (query) [, ...] then the statement the names are for.
Body head_with(Cursor& c, Statement& st, Context& ctx) {
    c.accept("RECURSIVE");
    while (is_name(c.tok())) {
        ctx.cte_names.push_back(c.tok().text);
        c.advance();
        if (c.is_op("(")) skip_parens(c);
        if (!c.accept("AS")) break;
        if (c.is_op("(")) skip_parens(c);
        if (!c.accept_op(",")) break;
    }
    return parse_inner_head(c, st, ctx);
}

void skip_modifiers(Cursor& c) {
    while (c.accept("LOW_PRIORITY") || c.accept("DELAYED") || c.accept("HIGH_PRIORITY") ||
           c.accept("IGNORE") || c.accept("QUICK")) {}
}

Body head_insert_like(Cursor& c, Statement& st, Verb verb) {
    set_class(st, Kind::write, verb, Placement::primary);
    skip_modifiers(c);
    TableRef t;
    if (!c.is("INTO") && read_table_name(c, t)) add_table(st, std::move(t));
    return Body::scan;
}
Body head_insert(Cursor& c, Statement& st, Context&) {
    return head_insert_like(c, st, Verb::insert);
}
Body head_replace(Cursor& c, Statement& st, Context&) {
    return head_insert_like(c, st, Verb::replace);
}

// UPDATE [LOW_PRIORITY] [IGNORE] t1 [[AS] a] [, t2 ...] SET ...
Body head_update(Cursor& c, Statement& st, Context&) {
    set_class(st, Kind::write, Verb::update, Placement::primary);
    skip_modifiers(c);
    TableRef t;
    while (read_table_name(c, t)) {
        add_table(st, std::move(t));
        if (c.accept("AS")) {
            if (is_name(c.tok())) c.advance();
        } else if (c.tok().kind == TokenKind::word && !is_clause_keyword(c.tok().text)) {
            c.advance();  // an alias
        }
        if (!c.accept_op(",")) break;
    }
    return Body::scan;
}

Body head_delete(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::write, Verb::delete_, Placement::primary);
    return Body::scan;
}

Body head_load(Cursor& c, Statement& st, Context&) {
    if (c.is("INDEX")) {
        set_class(st, Kind::other, Verb::admin, Placement::primary);
        return Body::skip;
    }
    set_class(st, Kind::write, Verb::load, Placement::primary);
    return Body::scan;
}

Body head_call(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::write, Verb::call, Placement::primary);
    return Body::scan;
}

Body head_do(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::other, Verb::do_, Placement::primary_by_default);
    return Body::scan;
}

Body head_help(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::other, Verb::help, Placement::replica_ok);
    return Body::skip;
}

Body head_kill(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::other, Verb::kill, Placement::primary);
    return Body::skip;
}

Body head_flush(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::other, Verb::flush, Placement::primary);
    return Body::skip;
}

Body head_admin(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::other, Verb::admin, Placement::primary);
    return Body::skip;
}

Body head_start_or_admin(Cursor& c, Statement& st, Context& ctx) {
    if (c.is("TRANSACTION")) return head_start(c, st, ctx);
    return head_admin(c, st, ctx);  // START SLAVE / REPLICA / ALL SLAVES
}

Body head_grant(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::ddl, Verb::grant, Placement::primary);
    return Body::skip;
}

Body head_revoke(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::ddl, Verb::revoke, Placement::primary);
    return Body::skip;
}

Body head_signal(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::other, Verb::signal, Placement::primary_by_default);
    return Body::skip;
}

// GET [CURRENT | STACKED] DIAGNOSTICS: about the previous statement.
Body head_get(Cursor& c, Statement& st, Context&) {
    if (!c.accept("CURRENT")) c.accept("STACKED");
    if (c.is("DIAGNOSTICS")) {
        set_class(st, Kind::other, Verb::get_diagnostics, Placement::previous);
        st.flags.set(Flag::diagnostics);
    }
    return Body::skip;
}

Body head_compound(Cursor& c, Statement& st, Context&) {
    set_class(st, Kind::other, Verb::compound, Placement::primary);
    take_compound(c, st);
    return Body::skip;
}

struct HeadEntry {
    std::string_view keyword;
    HeadReader read;
};

constexpr HeadEntry kHeads[] = {
    {"SELECT", head_select},
    {"VALUES", head_values},
    {"TABLE", head_table},
    {"WITH", head_with},
    {"INSERT", head_insert},
    {"REPLACE", head_replace},
    {"UPDATE", head_update},
    {"DELETE", head_delete},
    {"LOAD", head_load},
    {"CALL", head_call},
    {"DO", head_do},
    {"HANDLER", head_handler},
    {"CREATE", head_create},
    {"ALTER", head_alter},
    {"DROP", head_drop},
    {"RENAME", head_rename},
    {"TRUNCATE", head_truncate},
    {"GRANT", head_grant},
    {"REVOKE", head_revoke},
    {"ANALYZE", head_analyze},
    {"OPTIMIZE", head_maintenance},
    {"REPAIR", head_maintenance},
    {"CHECK", head_check},
    {"CHECKSUM", head_check},
    {"BEGIN", head_begin},
    {"START", head_start_or_admin},
    {"COMMIT", head_commit},
    {"ROLLBACK", head_rollback},
    {"SAVEPOINT", head_savepoint},
    {"RELEASE", head_release},
    {"XA", head_xa},
    {"SET", head_set},
    {"USE", head_use},
    {"SHOW", head_show},
    {"DESCRIBE", head_explain},
    {"DESC", head_explain},
    {"EXPLAIN", head_explain},
    {"HELP", head_help},
    {"LOCK", head_lock},
    {"UNLOCK", head_unlock},
    {"PREPARE", head_prepare},
    {"EXECUTE", head_execute},
    {"DEALLOCATE", head_deallocate},
    {"KILL", head_kill},
    {"FLUSH", head_flush},
    {"RESET", head_admin},
    {"PURGE", head_admin},
    {"CHANGE", head_admin},
    {"STOP", head_admin},
    {"SHUTDOWN", head_admin},
    {"BINLOG", head_admin},
    {"INSTALL", head_admin},
    {"UNINSTALL", head_admin},
    {"CACHE", head_admin},
    {"BACKUP", head_admin},
    {"SIGNAL", head_signal},
    {"RESIGNAL", head_signal},
    {"GET", head_get},
    {"IF", head_compound},
    {"CASE", head_compound},
    {"LOOP", head_compound},
    {"WHILE", head_compound},
    {"REPEAT", head_compound},
    {"DECLARE", head_compound},
};

}  // namespace

Body parse_head(Cursor& c, Statement& st, Context& ctx) {
    constexpr int kMaxHeadDepth =
        32;  // prefixes that recurse (ANALYZE, SET STATEMENT ... FOR, WITH, EXPLAIN)
    struct DepthGuard {
        int& depth;
        ~DepthGuard() { --depth; }
    } guard{++ctx.head_depth};
    if (ctx.head_depth > kMaxHeadDepth) {
        set_class(st, Kind::other, Verb::unknown, Placement::primary);
        return Body::skip;
    }
    if (c.at_end()) {
        set_class(st, Kind::other, Verb::empty, Placement::primary);
        return Body::skip;
    }
    if (c.is_op("(")) {  // (SELECT ...) UNION (SELECT ...)
        while (c.accept_op("(")) {}
        return parse_inner_head(c, st, ctx);
    }
    if (c.tok().kind == TokenKind::word && c.next_is_op(":")) return head_compound(c, st, ctx);  // label:
    if (c.tok().kind == TokenKind::word) {
        for (const HeadEntry& e : kHeads) {
            if (iequals(c.tok().text, e.keyword)) {
                c.advance();
                return e.read(c, st, ctx);
            }
        }
    }
    set_class(st, Kind::other, Verb::unknown, Placement::primary);
    return Body::skip;
}

}  // namespace sluice::router::detail
