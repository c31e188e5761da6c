#include "router/session_state.hpp"

#include <algorithm>

namespace sluice::router {

namespace {

bool mentions(std::string_view sql_mode, std::string_view mode) {
    std::size_t pos = 0;
    while (pos <= sql_mode.size()) {
        std::size_t comma = sql_mode.find(',', pos);
        std::string_view item = sql_mode.substr(pos, comma == std::string_view::npos ? comma : comma - pos);
        if (iequals(item, mode)) return true;
        if (comma == std::string_view::npos) return false;
        pos = comma + 1;
    }
    return false;
}

void apply_settings(SessionState& s, const Statement& st) {
    if (st.verb == Verb::use) s.database = st.database;
    if (st.verb == Verb::set_names || st.verb == Verb::set_charset) s.charset = st.charset;
    if (st.autocommit) s.autocommit = *st.autocommit;
    if (st.sql_mode) {
        s.lexer_options.ansi_quotes = mentions(*st.sql_mode, "ANSI_QUOTES") || mentions(*st.sql_mode, "ANSI");
        s.lexer_options.no_backslash_escapes = mentions(*st.sql_mode, "NO_BACKSLASH_ESCAPES");
    }
    if (st.read_only && (st.verb == Verb::set || st.verb == Verb::set_transaction)) {
        if (st.has(Flag::next_transaction)) {
            s.next_transaction_read_only = *st.read_only;
        } else if (!st.has(Flag::global_scope)) {
            s.session_read_only = *st.read_only;
        }
    }
    if (st.verb == Verb::begin) s.next_transaction_read_only = false;
    if (st.verb == Verb::prepare) s.prepared[st.prepared_name] = st.prepared_read;
    if (st.verb == Verb::deallocate) s.prepared.erase(st.prepared_name);
}

void apply_tables(SessionState& s, const Statement& st, std::string_view backend) {
    if (st.verb == Verb::create && st.has(Flag::temporary) && !st.tables.empty())
        s.temporary_tables[s.qualified(st.tables.front())] = std::string(backend);
    if (st.has(Flag::drops_tables))
        for (const TableRef& t : st.tables) s.temporary_tables.erase(s.qualified(t));
}

void apply_locks(SessionState& s, const Statement& st, std::string_view backend) {
    if (st.has(Flag::user_lock)) ++s.user_locks;
    if (st.has(Flag::user_unlock)) s.user_locks = std::max(0, s.user_locks - 1);
    if (st.has(Flag::user_unlock_all)) s.user_locks = 0;
    if (st.verb == Verb::lock_tables) s.tables_locked = true;
    if (st.verb == Verb::unlock_tables || st.verb == Verb::begin) s.tables_locked = false;
    if (st.has(Flag::user_lock) || st.verb == Verb::lock_tables) s.locks_backend = std::string(backend);
}

// A user variable set everywhere (a replayed SET) is everywhere; one set by a statement that ran on one
// backend (SELECT @x := ..., INTO @x, CALL p(@x), an unreplayable SET) exists there only.
void apply_variables(SessionState& s, const Statement& st, const RoutePlan& plan, std::string_view backend) {
    for (const std::string& v : st.vars_assigned) {
        if (v.empty() || v.front() != '@') continue;
        if (plan.target == Target::all) {
            s.variable_backends.erase(v);
        } else {
            s.variable_backends[v] = std::string(backend);
        }
    }
}

}  // namespace

void SessionState::on_server_status(std::uint16_t flags) {
    in_transaction = (flags & kStatusInTransaction) != 0;
    autocommit = (flags & kStatusAutocommit) != 0;
    transaction_read_only = (flags & kStatusInTransactionReadOnly) != 0;
    lexer_options.no_backslash_escapes = (flags & kStatusNoBackslashEscapes) != 0;
    if (!in_transaction) transaction_backend.reset();
}

void SessionState::on_executed(const Statement& st, const RoutePlan& plan, std::string_view backend,
                               Ran ran) {
    if (!backend.empty() && last_backend != backend) last_backend = std::string(backend);
    if (plan.pin_transaction) transaction_backend = std::string(backend);
    if (plan.lock_to_primary) locked_to_primary = true;
    if (plan.record_session_command) history.record(st);
    apply_settings(*this, st);
    apply_tables(*this, st, backend);
    apply_locks(*this, st, backend);
    apply_variables(*this, st, plan, backend);
    if (st.has(Flag::calc_found_rows)) last_found_rows_target = std::string(backend);
    if (st.kind == Kind::write || st.kind == Kind::ddl) wrote = true;
    // Anything that may have written on the primary — a write, DDL, a COMMIT, a stored function, any prepared
    // EXECUTE — moves the session's last write: its GTID is learnt again before the next replica read.
    bool may_write = st.kind == Kind::write || st.kind == Kind::ddl || st.kind == Kind::transaction ||
                     st.has(Flag::stored_function) || ran.prepared;
    if (ran.on_primary && may_write) {
        if (st.kind != Kind::read) wrote = true;
        last_write_gtid.reset();
    }
}

bool SessionState::on_backend_lost(std::string_view backend) {
    bool lost = false;
    if (transaction_backend == backend) {
        transaction_backend.reset();
        lost = lost || in_transaction;
    }
    lost = std::erase_if(temporary_tables, [&](const auto& e) { return e.second == backend; }) > 0 || lost;
    if (locks_backend == backend) {
        lost = lost || user_locks > 0 || tables_locked;
        user_locks = 0;
        tables_locked = false;
        locks_backend.reset();
    }
    std::erase_if(variable_backends, [&](const auto& e) { return e.second == backend; });
    if (last_found_rows_target == backend) last_found_rows_target.reset();
    if (last_backend == backend) last_backend.reset();
    return lost;
}

std::string SessionState::qualified(const TableRef& t) const {
    return (t.schema.empty() ? database : t.schema) + "." + t.name;
}

std::optional<std::string_view> SessionState::temporary_table_backend(const Statement& st) const {
    if (temporary_tables.empty()) return std::nullopt;
    for (const TableRef& t : st.tables) {
        auto it = temporary_tables.find(qualified(t));
        if (it != temporary_tables.end()) return std::string_view(it->second);
    }
    return std::nullopt;
}

}  // namespace sluice::router
