#pragma once
// What the router must know about one client session. A plain struct the proxy owns and updates:
//  - on_server_status() with the status flags of every OK / EOF the client gets (transaction state as the
//    server sees it: this also catches implicit commits and COMMIT AND CHAIN);
//  - on_executed() once a statement routed by a plan succeeded (what it changed: temporary tables, locks,
//    prepared statements, pins, the session-command history, ...);
//  - last_write_gtid, the GTID of the session's last write (the proxy learns it with SELECT @@last_gtid), for
//    read-your-writes; on_executed() forgets it when a statement may have written again on the primary;
//  - on_backend_lost() when a backend connection of the session dies.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "router/lexer.hpp"
#include "router/route_plan.hpp"
#include "router/session_history.hpp"
#include "router/statement.hpp"

namespace sluice::router {

// Server status flags (the protocol's SERVER_STATUS_*), restated so router/ needs nothing from protocol/.
inline constexpr std::uint16_t kStatusInTransaction = 0x0001;
inline constexpr std::uint16_t kStatusAutocommit = 0x0002;
inline constexpr std::uint16_t kStatusNoBackslashEscapes = 0x0200;
inline constexpr std::uint16_t kStatusInTransactionReadOnly = 0x2000;

// How a statement ran, beyond its text (for SessionState::on_executed).
struct Ran {
    bool on_primary = false;  // the backend that ran it is the primary
    bool prepared = false;    // as COM_STMT_EXECUTE (its parameters are not in the text classified)
};

struct SessionState {
    // What routing and bookkeeping read for every statement comes first, in as few cache lines as it fits:
    // with hundreds of busy sessions a session's lines are cold each time it runs a statement.

    // Transactions.
    bool autocommit = true;
    bool in_transaction = false;
    bool transaction_read_only = false;       // the open transaction is READ ONLY
    bool next_transaction_read_only = false;  // SET TRANSACTION READ ONLY: for the next one only
    bool session_read_only = false;           // SET SESSION TRANSACTION READ ONLY, transaction_read_only=1
    bool tables_locked = false;               // LOCK TABLES until UNLOCK TABLES
    bool locked_to_primary = false;           // RoutePlan::lock_to_primary happened
    bool wrote = false;                       // the session has written something (read-your-writes)
    LexerOptions lexer_options;
    int user_locks = 0;                              // GET_LOCK minus RELEASE_LOCK (never below 0)
    std::optional<std::string> transaction_backend;  // where the open transaction was pinned
    std::optional<std::string> last_backend;         // where the previous statement went
    std::optional<std::string> last_write_gtid;      // filled by the proxy; unknown again after a write
    SessionHistory history;

    // Session settings.
    std::string database;  // USE (or the handshake's database, set by the proxy)
    std::string charset;   // SET NAMES / SET CHARACTER SET

    // State that lives on one backend connection.
    std::map<std::string, std::string> temporary_tables;  // "db.name" -> backend
    std::optional<std::string> locks_backend;             // where those locks are held
    std::map<std::string, bool> prepared;                 // SQL PREPAREd names -> the text is a plain read
    std::map<std::string, std::string>
        variable_backends;                              // user variables set on one backend only: "@x" -> it
    std::optional<std::string> last_found_rows_target;  // where the last SQL_CALC_FOUND_ROWS went

    void on_server_status(std::uint16_t flags);
    // `backend`: the name of the backend that ran it (for Target::all, the one whose answer the client got).
    void on_executed(const Statement& st, const RoutePlan& plan, std::string_view backend, Ran ran = {});
    // Forgets what lived on `backend`; true when that was state the session cannot rebuild (its transaction,
    // temporary tables or locks), so the proxy should end the session.
    bool on_backend_lost(std::string_view backend);

    std::string qualified(const TableRef& t) const;  // "db.name", with the current database when unqualified
    // The backend holding a temporary table the statement names, if any.
    std::optional<std::string_view> temporary_table_backend(const Statement& st) const;
};

}  // namespace sluice::router
