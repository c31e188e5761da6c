#include "router/statement.hpp"

#include <iterator>
#include <utility>

namespace sluice::router {

std::string_view to_string(Kind k) {
    switch (k) {
        case Kind::read: return "read";
        case Kind::write: return "write";
        case Kind::ddl: return "ddl";
        case Kind::transaction: return "transaction";
        case Kind::session: return "session";
        case Kind::other: return "other";
    }
    return "?";
}

std::string_view to_string(Verb v) {
    static constexpr std::string_view kNames[] = {
        "unknown",
        "empty",
        "select",
        "values",
        "table",
        "insert",
        "replace",
        "update",
        "delete",
        "load",
        "call",
        "do",
        "handler",
        "create",
        "alter",
        "drop",
        "rename",
        "truncate",
        "grant",
        "revoke",
        "maintenance",
        "begin",
        "commit",
        "rollback",
        "savepoint",
        "release_savepoint",
        "rollback_to_savepoint",
        "xa",
        "set",
        "set_names",
        "set_charset",
        "set_transaction",
        "use",
        "show",
        "describe",
        "explain",
        "help",
        "lock_tables",
        "unlock_tables",
        "prepare",
        "execute",
        "deallocate",
        "kill",
        "flush",
        "admin",
        "signal",
        "get_diagnostics",
        "compound",
    };
    static_assert(std::size(kNames) == static_cast<std::size_t>(Verb::compound) + 1);
    auto i = static_cast<std::size_t>(v);
    return i < std::size(kNames) ? kNames[i] : "?";
}

std::string_view to_string(Placement p) {
    switch (p) {
        case Placement::replica_ok: return "replica_ok";
        case Placement::primary_by_default: return "primary_by_default";
        case Placement::primary: return "primary";
        case Placement::previous: return "previous";
        case Placement::all: return "all";
    }
    return "?";
}

namespace {

constexpr std::pair<Flag, std::string_view> kFlagNames[] = {
    {Flag::multi_statement, "multi_statement"},
    {Flag::malformed, "malformed"},
    {Flag::locking_read, "locking_read"},
    {Flag::primary_function, "primary_function"},
    {Flag::found_rows, "found_rows"},
    {Flag::calc_found_rows, "calc_found_rows"},
    {Flag::user_var_assign, "user_var_assign"},
    {Flag::into_file, "into_file"},
    {Flag::stored_function, "stored_function"},
    {Flag::nondeterministic, "nondeterministic"},
    {Flag::subquery, "subquery"},
    {Flag::diagnostics, "diagnostics"},
    {Flag::user_lock, "user_lock"},
    {Flag::user_unlock, "user_unlock"},
    {Flag::user_unlock_all, "user_unlock_all"},
    {Flag::temporary, "temporary"},
    {Flag::drops_tables, "drops_tables"},
    {Flag::returning, "returning"},
    {Flag::global_scope, "global_scope"},
    {Flag::replayable, "replayable"},
    {Flag::next_transaction, "next_transaction"},
    {Flag::locks_session, "locks_session"},
    {Flag::compound_body, "compound_body"},
    {Flag::user_var_read, "user_var_read"},
    {Flag::server_variable, "server_variable"},
};

}  // namespace

std::string_view to_string(Flag f) {
    for (const auto& [flag, name] : kFlagNames)
        if (flag == f) return name;
    return "?";
}

std::string to_string(Flags f) {
    std::string out;
    for (const auto& [flag, name] : kFlagNames) {
        if (!f.has(flag)) continue;
        if (!out.empty()) out += '|';
        out += name;
    }
    return out.empty() ? "-" : out;
}

}  // namespace sluice::router
