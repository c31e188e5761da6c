#pragma once
// The classifier: SQL text in, Statement out. A tokenizer (router/lexer.hpp) and a small hand-written reader
// of the first words of each statement, then one pass over the rest for flags and table names; no regexes.
//
// Rules the issue left open, decided here:
//  - Multi-statements ("a; b", a ';' outside strings, comments and routine bodies) take the kind and verb of
//    their first statement, the union of all flags, tables and variables, and Placement::primary. When one of
//    them changes the session (SET, USE, PREPARE, LOCK TABLES, CREATE TEMPORARY TABLE, HANDLER) the statement
//    also carries Flag::locks_session: its effects exist on the primary only, so the session stays there.
//  - SHOW: see classify_show.cpp. Catalogue reads (SHOW TABLES, COLUMNS, CREATE TABLE, DATABASES, GRANTS,
//    ...) may go to a replica; SHOW WARNINGS / ERRORS / COUNT(*) / PROFILE(S) / [SESSION] STATUS describe the
//    previous statement's connection (Placement::previous); everything about one server (MASTER / BINLOG /
//    SLAVE / REPLICA STATUS, PROCESSLIST, VARIABLES, GLOBAL STATUS, ENGINE ... STATUS, unknown SHOWs) goes to
//    the primary unless a hint names another backend.
//  - A SELECT calling a function that is not built in (it may write) is primary_by_default, as in MaxScale.
//    So is one reading a variable that tells servers apart (@@read_only, @@server_id, @@hostname,
//    @@gtid_current_pos...): the client believes it talks to the primary, and drivers decide whether they may
//    write from @@read_only. Other system variables (@@version, @@sql_mode...) are read from replicas.
//  - A SET whose value the backends would compute differently (a subquery, a stored or same-connection
//    function, or for user variables RAND()/UUID()/NOW()...) runs on the primary only and is not replayed;
//    if it sets system variables it carries Flag::locks_session.
//  - Executable comments are code whatever version they name (MariaDB 10.11 runs /*!50100 */ and /*!80000
//  */).

#include <string_view>

#include "router/lexer.hpp"
#include "router/statement.hpp"

namespace sluice::router {

struct ClassifyOptions {
    LexerOptions lexer;          // from the session's sql_mode (SessionState::lexer_options)
    TokenLog* tokens = nullptr;  // when given: reset, then filled with every token of the statement
};

// Never fails and never reads outside `sql`: text it cannot make sense of is Verb::unknown, Kind::other,
// Placement::primary.
Statement classify(std::string_view sql, const ClassifyOptions& options = {});

}  // namespace sluice::router
