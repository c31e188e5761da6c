// CREATE / ALTER / DROP / RENAME / TRUNCATE, table maintenance, LOCK / UNLOCK TABLES and HANDLER.

#include "router/classify_internal.hpp"
#include "router/words.hpp"

namespace sluice::router::detail {

namespace {

bool is_routine(const Cursor& c) {
    for (std::string_view w : {"PROCEDURE", "FUNCTION", "TRIGGER", "EVENT", "PACKAGE"})
        if (c.is(w)) return true;
    return false;
}

}  // namespace

// CREATE [OR REPLACE] [DEFINER = u] [ALGORITHM = x] [SQL SECURITY y] [TEMPORARY] [AGGREGATE] object ...
// The modifiers are skipped up to the object's keyword. Routine bodies hold ';' of their own.
Body head_create(Cursor& c, Statement& st, Context&) {
    set_class(st, Kind::ddl, Verb::create, Placement::primary);
    for (; !c.at_end(); c.advance()) {
        if (c.is("TEMPORARY")) st.flags.set(Flag::temporary);
        if (c.is("TABLE")) return Body::scan;
        if (is_routine(c)) {
            take_compound(c, st);
            return Body::skip;
        }
        for (std::string_view w :
             {"VIEW", "SEQUENCE", "DATABASE", "SCHEMA", "USER", "ROLE", "INDEX", "SERVER"})
            if (c.is(w)) return Body::skip;
    }
    return Body::skip;
}

Body head_alter(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::ddl, Verb::alter, Placement::primary);
    return Body::scan;
}

// DROP [TEMPORARY] TABLE[S] [IF EXISTS] a, b | DROP PREPARE s | DROP anything else
Body head_drop(Cursor& c, Statement& st, Context& ctx) {
    if (c.accept("PREPARE")) return head_deallocate(c, st, ctx);
    set_class(st, Kind::ddl, Verb::drop, Placement::primary);
    if (c.accept("TEMPORARY")) st.flags.set(Flag::temporary);
    if (c.is("TABLE") || c.is("TABLES")) {
        st.flags.set(Flag::drops_tables);
        return Body::scan;
    }
    return Body::skip;
}

// RENAME TABLE a TO b [, c TO d]
Body head_rename(Cursor& c, Statement& st, Context&) {
    set_class(st, Kind::ddl, Verb::rename, Placement::primary);
    if (!c.accept("TABLE") && !c.accept("TABLES")) return Body::skip;
    TableRef t;
    while (read_table_name(c, t)) {
        add_table(st, std::move(t));
        if (!c.accept("TO") && !c.accept_op(",")) break;
    }
    return Body::skip;
}

Body head_truncate(Cursor& c, Statement& st, Context&) {
    set_class(st, Kind::ddl, Verb::truncate, Placement::primary);
    c.accept("TABLE");
    TableRef t;
    if (read_table_name(c, t)) add_table(st, std::move(t));
    return Body::skip;
}

// ANALYZE [NO_WRITE_TO_BINLOG | LOCAL] TABLE t, ... (DDL: written to the binlog)
// ANALYZE [FORMAT = JSON] statement: runs the statement, so it is classified as that statement.
Body head_analyze(Cursor& c, Statement& st, Context& ctx) {
    if (c.is("FORMAT") && c.next_is_op("=")) {
        c.advance();
        c.advance();
        c.advance();
    }
    if (c.is("NO_WRITE_TO_BINLOG") || c.is("LOCAL") || c.is("TABLE") || c.is("TABLES"))
        return head_maintenance(c, st, ctx);
    return parse_head(c, st, ctx);
}

Body head_maintenance(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::ddl, Verb::maintenance, Placement::primary);
    return Body::scan;
}

// CHECK TABLE / CHECKSUM TABLE read, but report on one server's copy: the primary unless hinted.
Body head_check(Cursor&, Statement& st, Context&) {
    set_class(st, Kind::other, Verb::maintenance, Placement::primary_by_default);
    return Body::scan;
}

// LOCK TABLE[S] t [[AS] a] {READ [LOCAL] | [LOW_PRIORITY] WRITE [CONCURRENT]} [, ...]
Body head_lock(Cursor& c, Statement& st, Context&) {
    if (!c.accept("TABLES") && !c.accept("TABLE")) return Body::skip;
    set_class(st, Kind::other, Verb::lock_tables, Placement::primary);
    TableRef t;
    while (read_table_name(c, t)) {
        add_table(st, std::move(t));
        while (!c.at_end() && !c.is_op(",")) c.advance();
        if (!c.accept_op(",")) break;
    }
    return Body::skip;
}

Body head_unlock(Cursor& c, Statement& st, Context&) {
    if (c.is("TABLES") || c.is("TABLE")) set_class(st, Kind::other, Verb::unlock_tables, Placement::primary);
    return Body::skip;
}

// HANDLER t OPEN | READ | CLOSE: a cursor on one connection.
Body head_handler(Cursor& c, Statement& st, Context&) {
    set_class(st, Kind::other, Verb::handler, Placement::primary);
    TableRef t;
    if (read_table_name(c, t)) add_table(st, std::move(t));
    return Body::skip;
}

}  // namespace sluice::router::detail
