#pragma once
// What the classifier learns about one COM_QUERY text: the input of route(). Plain data, owned strings, so
// the proxy can keep it (e.g. in the session-command history) after the packet buffer is gone.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "router/lexer.hpp"

namespace sluice::router {

enum class Kind : std::uint8_t {
    read,   // SELECT, VALUES, TABLE, WITH ... SELECT
    write,  // INSERT, UPDATE, DELETE, REPLACE, LOAD DATA, CALL
    ddl,    // CREATE/ALTER/DROP/RENAME/TRUNCATE, GRANT/REVOKE, ANALYZE/OPTIMIZE/REPAIR TABLE, SET PASSWORD
    transaction,  // BEGIN, START TRANSACTION, COMMIT, ROLLBACK, SAVEPOINT, RELEASE SAVEPOINT, XA ...
    session,      // SET ..., SET NAMES, USE, PREPARE / DEALLOCATE PREPARE
    other,        // SHOW, DESCRIBE, EXPLAIN, HELP, DO, HANDLER, LOCK TABLES, FLUSH, KILL, unknown, empty
};

enum class Verb : std::uint8_t {
    unknown,  // not recognised: routed to the primary
    empty,    // only comments, spaces or ';'
    select,
    values,
    table,  // TABLE t
    insert,
    replace,
    update,
    delete_,
    load,  // LOAD DATA / LOAD XML
    call,
    do_,
    handler,
    create,
    alter,
    drop,
    rename,
    truncate,
    grant,
    revoke,
    maintenance,  // ANALYZE/OPTIMIZE/REPAIR/CHECK/CHECKSUM TABLE
    begin,        // BEGIN [WORK], START TRANSACTION ...
    commit,
    rollback,
    savepoint,
    release_savepoint,
    rollback_to_savepoint,
    xa,
    set,          // SET [SESSION|GLOBAL] var = ..., SET @x = ..., SET ROLE, SET PASSWORD, SET DEFAULT ROLE
    set_names,    // SET NAMES
    set_charset,  // SET CHARACTER SET / SET CHARSET
    set_transaction,  // SET [SESSION|GLOBAL] TRANSACTION ...
    use,
    show,
    describe,  // DESCRIBE t / DESC t / EXPLAIN t
    explain,   // EXPLAIN / DESCRIBE of a statement
    help,
    lock_tables,
    unlock_tables,
    prepare,
    execute,
    deallocate,  // DEALLOCATE PREPARE / DROP PREPARE
    kill,
    flush,
    admin,  // RESET, PURGE, CHANGE MASTER, START/STOP SLAVE, SHUTDOWN, BINLOG, INSTALL PLUGIN, CACHE INDEX...
    signal,
    get_diagnostics,
    compound,  // BEGIN NOT ATOMIC ... END, IF/CASE/LOOP/WHILE/REPEAT blocks
};

// Where the statement may run, judged from its text alone; route() then applies the session's state
// (transactions, temporary tables, locks) and the hints.
enum class Placement : std::uint8_t {
    replica_ok,          // a read: any replica within the lag limit will do
    primary_by_default,  // no write we can see, but best on the primary (stored functions, server
                         // introspection, DO); a `replica` or `backend=` hint may send it elsewhere
    primary,   // writes, DDL, locking reads, same-connection functions, unknown: the primary, always
    previous,  // about the previous statement (SHOW WARNINGS, @@warning_count): where it went
    all,       // changes the session: every backend the session holds, and the replay history
};

enum class Flag : std::uint32_t {
    multi_statement = 1u << 0,   // more than one statement (';' outside strings, comments and routine bodies)
    malformed = 1u << 1,         // an unterminated string, quoted name or comment
    locking_read = 1u << 2,      // FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE
    primary_function = 1u << 3,  // LAST_INSERT_ID(), ROW_COUNT(), *_LOCK(), sequences, @@identity, ...
    found_rows = 1u << 4,        // FOUND_ROWS(): goes where the previous SQL_CALC_FOUND_ROWS went
    calc_found_rows = 1u << 5,   // SELECT SQL_CALC_FOUND_ROWS
    user_var_assign = 1u << 6,   // @x := ... or SELECT ... INTO @x outside SET
    into_file = 1u << 7,         // SELECT ... INTO OUTFILE / DUMPFILE
    stored_function = 1u << 8,   // calls a function that is not built in (may write)
    nondeterministic = 1u << 9,  // RAND(), UUID(), NOW(), ...: differs between servers
    subquery = 1u << 10,         // ( SELECT ...
    diagnostics = 1u << 11,      // @@warning_count, @@error_count, SHOW WARNINGS ...
    user_lock = 1u << 12,        // GET_LOCK()
    user_unlock = 1u << 13,      // RELEASE_LOCK()
    user_unlock_all = 1u << 14,  // RELEASE_ALL_LOCKS()
    temporary = 1u << 15,        // CREATE TEMPORARY TABLE (tables[0]) / DROP TEMPORARY TABLE
    drops_tables = 1u << 16,     // DROP [TEMPORARY] TABLE: every name in `tables`
    returning = 1u << 17,        // INSERT/REPLACE/DELETE ... RETURNING
    global_scope = 1u << 18,     // SET GLOBAL / @@global.: the primary only, never replayed
    replayable = 1u << 19,       // recorded in the session-command history (replay_sql holds the text)
    next_transaction = 1u << 20,  // SET TRANSACTION without a scope: only the next transaction
    locks_session = 1u << 21,     // changes session state only the primary will have: stay on the primary
    compound_body = 1u << 22,     // a routine or block body: its ';' do not separate statements
    user_var_read = 1u << 23,     // reads a user variable (names in vars_read)
    server_variable =
        1u << 24,  // reads what differs between servers: @@read_only, @@server_id, @@hostname...
};

class Flags {
  public:
    constexpr Flags() = default;
    constexpr Flags(Flag f) : bits_(static_cast<std::uint32_t>(f)) {}  // NOLINT: implicit on purpose
    constexpr bool has(Flag f) const { return (bits_ & static_cast<std::uint32_t>(f)) != 0; }
    constexpr bool any(Flags f) const { return (bits_ & f.bits_) != 0; }
    constexpr void set(Flag f) { bits_ |= static_cast<std::uint32_t>(f); }
    constexpr void clear(Flag f) { bits_ &= ~static_cast<std::uint32_t>(f); }
    constexpr Flags& operator|=(Flags f) {
        bits_ |= f.bits_;
        return *this;
    }
    constexpr std::uint32_t bits() const { return bits_; }
    friend constexpr Flags operator|(Flags a, Flags b) { return a |= b; }
    friend constexpr bool operator==(Flags a, Flags b) { return a.bits_ == b.bits_; }

  private:
    std::uint32_t bits_ = 0;
};
constexpr Flags operator|(Flag a, Flag b) {
    return Flags(a) | Flags(b);
}

struct TableRef {
    std::string schema;  // empty: the session's current database
    std::string name;
    friend bool operator==(const TableRef&, const TableRef&) = default;
};

struct Hint {
    HintKind kind = HintKind::none;
    std::string backend;  // HintKind::backend
};

struct Statement {
    // The fields every routing decision and every on_executed() read come first, in as few cache lines as
    // they fit (with hundreds of busy sessions a statement's classification is cold each time it runs).
    Kind kind = Kind::other;
    Verb verb = Verb::unknown;
    Placement placement = Placement::primary;
    Flags flags;
    std::optional<bool> autocommit;       // SET autocommit = 0|1|ON|OFF
    std::optional<bool> read_only;        // START TRANSACTION READ ONLY|WRITE, SET ... TRANSACTION READ ...
    bool prepared_read = false;           // PREPARE: the prepared text is a plain read (replica_ok)
    std::optional<std::string> sql_mode;  // SET [SESSION] sql_mode = 'literal'
    Hint hint;
    std::vector<std::string> vars_assigned;  // "@x" for user variables, lower-case names for system variables
    std::vector<std::string> vars_read;      // same spelling: variables the statement reads
    std::vector<TableRef> tables;  // named after FROM/JOIN/INTO/UPDATE/TABLE..., deduplicated, as written

    std::string database;       // USE db
    std::string charset;        // SET NAMES x / SET CHARACTER SET x (lower case)
    std::string prepared_name;  // PREPARE / EXECUTE / DEALLOCATE PREPARE (lower case)
    std::string replay_sql;     // Flag::replayable: the statement's text

    bool has(Flag f) const { return flags.has(f); }
};

std::string_view to_string(Kind k);
std::string_view to_string(Verb v);
std::string_view to_string(Placement p);
std::string_view to_string(Flag f);
// "locking_read|primary_function" for test messages and logs.
std::string to_string(Flags f);

}  // namespace sluice::router
