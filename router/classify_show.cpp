// SHOW, DESCRIBE and EXPLAIN.
//
// Where a SHOW goes (the first rule whose words start the statement, after FULL / EXTENDED, wins):
//  - about the previous statement's connection (Placement::previous): WARNINGS, ERRORS, COUNT(*) WARNINGS,
//    PROFILE, PROFILES, STATUS, SESSION STATUS, LOCAL STATUS;
//  - catalogue reads, which a replica within the lag limit answers as well (Placement::replica_ok): TABLES,
//    TABLE STATUS, COLUMNS / FIELDS, INDEX / INDEXES / KEYS, DATABASES / SCHEMAS, CREATE ..., TRIGGERS,
//    EVENTS, PROCEDURE / FUNCTION / PACKAGE STATUS and CODE, CHARACTER SET / CHARSET, COLLATION, ENGINES,
//    STORAGE ENGINES, PLUGINS, PRIVILEGES, GRANTS, AUTHORS, CONTRIBUTORS, LOCALES;
//  - everything else is about one server: MASTER / BINLOG STATUS, BINARY / MASTER LOGS, BINLOG / RELAYLOG
//    EVENTS, [ALL] SLAVE(S) / REPLICA(S) STATUS, SLAVE HOSTS, PROCESSLIST, VARIABLES, GLOBAL STATUS, ENGINE x
//    STATUS, OPEN TABLES, EXPLAIN FOR, unknown ones (Placement::primary_by_default): the primary, the server
//    the client thinks it is talking to, unless a hint names another backend (`/* sluice: backend=db2 */ SHOW
//    SLAVE STATUS` asks db2 about its replication).

#include "router/classify_internal.hpp"
#include "router/words.hpp"

namespace sluice::router::detail {

namespace {

enum class ShowTable : std::uint8_t { none, after_from, named };

struct ShowRule {
    std::string_view first;
    std::string_view second;  // empty: any
    Placement placement;
    ShowTable table;
};

constexpr ShowRule kShowRules[] = {
    {"WARNINGS", {}, Placement::previous, ShowTable::none},
    {"ERRORS", {}, Placement::previous, ShowTable::none},
    {"COUNT", {}, Placement::previous, ShowTable::none},
    {"PROFILE", {}, Placement::previous, ShowTable::none},
    {"PROFILES", {}, Placement::previous, ShowTable::none},
    {"STATUS", {}, Placement::previous, ShowTable::none},
    {"SESSION", "STATUS", Placement::previous, ShowTable::none},
    {"LOCAL", "STATUS", Placement::previous, ShowTable::none},
    {"TABLES", {}, Placement::replica_ok, ShowTable::none},
    {"TABLE", "STATUS", Placement::replica_ok, ShowTable::none},
    {"COLUMNS", {}, Placement::replica_ok, ShowTable::after_from},
    {"FIELDS", {}, Placement::replica_ok, ShowTable::after_from},
    {"INDEX", {}, Placement::replica_ok, ShowTable::after_from},
    {"INDEXES", {}, Placement::replica_ok, ShowTable::after_from},
    {"KEYS", {}, Placement::replica_ok, ShowTable::after_from},
    {"DATABASES", {}, Placement::replica_ok, ShowTable::none},
    {"SCHEMAS", {}, Placement::replica_ok, ShowTable::none},
    {"CREATE", "TABLE", Placement::replica_ok, ShowTable::named},
    {"CREATE", "VIEW", Placement::replica_ok, ShowTable::named},
    {"CREATE", "SEQUENCE", Placement::replica_ok, ShowTable::named},
    {"CREATE", {}, Placement::replica_ok, ShowTable::none},
    {"TRIGGERS", {}, Placement::replica_ok, ShowTable::none},
    {"EVENTS", {}, Placement::replica_ok, ShowTable::none},
    {"PROCEDURE", {}, Placement::replica_ok, ShowTable::none},
    {"FUNCTION", {}, Placement::replica_ok, ShowTable::none},
    {"PACKAGE", {}, Placement::replica_ok, ShowTable::none},
    {"CHARACTER", "SET", Placement::replica_ok, ShowTable::none},
    {"CHARSET", {}, Placement::replica_ok, ShowTable::none},
    {"COLLATION", {}, Placement::replica_ok, ShowTable::none},
    {"ENGINES", {}, Placement::replica_ok, ShowTable::none},
    {"STORAGE", "ENGINES", Placement::replica_ok, ShowTable::none},
    {"PLUGINS", {}, Placement::replica_ok, ShowTable::none},
    {"PRIVILEGES", {}, Placement::replica_ok, ShowTable::none},
    {"GRANTS", {}, Placement::replica_ok, ShowTable::none},
    {"AUTHORS", {}, Placement::replica_ok, ShowTable::none},
    {"CONTRIBUTORS", {}, Placement::replica_ok, ShowTable::none},
    {"LOCALES", {}, Placement::replica_ok, ShowTable::none},
};

// SHOW COLUMNS FROM t [FROM db]: the table after FROM / IN, its schema after a second FROM / IN.
void read_show_table(Cursor& c, Statement& st, ShowTable how) {
    if (how == ShowTable::after_from && !c.accept("FROM") && !c.accept("IN")) return;
    TableRef t;
    if (!read_table_name(c, t)) return;
    if (how == ShowTable::after_from && (c.accept("FROM") || c.accept("IN")) && is_name(c.tok()))
        t.schema = name_of(c.tok());
    add_table(st, std::move(t));
}

}  // namespace

Body head_show(Cursor& c, Statement& st, Context&) {
    set_class(st, Kind::other, Verb::show, Placement::primary_by_default);
    while (c.accept("FULL") || c.accept("EXTENDED")) {}
    for (const ShowRule& r : kShowRules) {
        if (!c.is(r.first) || !(r.second.empty() || c.next_is(r.second))) continue;
        st.placement = r.placement;
        if (r.placement == Placement::previous) st.flags.set(Flag::diagnostics);
        c.advance();
        if (!r.second.empty()) c.advance();
        if (r.table != ShowTable::none) read_show_table(c, st, r.table);
        break;
    }
    return Body::skip;
}

// DESCRIBE t [col] | EXPLAIN [EXTENDED | PARTITIONS | FORMAT = x] statement | EXPLAIN FOR CONNECTION n.
// Explaining does not run the statement: it may go to a replica when the statement could.
Body head_explain(Cursor& c, Statement& st, Context& ctx) {
    set_class(st, Kind::other, Verb::explain, Placement::primary_by_default);
    while (c.accept("EXTENDED") || c.accept("PARTITIONS")) {}
    if (c.is("FORMAT") && c.next_is_op("=")) {
        c.advance();
        c.advance();
        c.advance();
    }
    if (c.is("FOR")) return Body::skip;
    bool statement = c.is_op("(");
    for (std::string_view v : {"SELECT", "WITH", "VALUES", "TABLE", "INSERT", "REPLACE", "UPDATE", "DELETE"})
        statement = statement || c.is(v);
    if (statement) {
        Statement inner;
        parse_statement(c, inner, ctx);
        st.tables = std::move(inner.tables);
        if (inner.placement == Placement::replica_ok) st.placement = Placement::replica_ok;
        return Body::skip;
    }
    st.verb = Verb::describe;
    TableRef t;
    if (read_table_name(c, t)) {
        st.placement = Placement::replica_ok;
        add_table(st, std::move(t));
    }
    return Body::skip;
}

}  // namespace sluice::router::detail
