#pragma once
// Word lists the classifier consults: built-in functions, functions with a routing meaning, and the keywords
// that end a list of table names. Lookups are ASCII case-insensitive.

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::router {

enum class FunctionRole : std::uint8_t {
    plain,             // a built-in with no routing meaning
    same_connection,   // LAST_INSERT_ID, ROW_COUNT, IS_*_LOCK, sequences: only the primary connection knows
    found_rows,        // FOUND_ROWS: where the previous SQL_CALC_FOUND_ROWS went
    user_lock,         // GET_LOCK
    user_unlock,       // RELEASE_LOCK
    user_unlock_all,   // RELEASE_ALL_LOCKS
    nondeterministic,  // RAND, UUID, NOW, ...: each server gives its own answer
    stored,            // not built in: a stored function or UDF, which may write
};

// What calling `name(...)` means. Keywords that are followed by '(' (IN, EXISTS, VALUES, CAST's type
// names...) count as plain built-ins.
FunctionRole function_role(std::string_view name);

// A keyword that cannot be a table alias: it ends a table reference.
bool is_clause_keyword(std::string_view word);

// A system variable whose value tells servers apart (read_only, server_id, hostname, gtid_current_pos...);
// `name` is lower case, without scope.
bool is_server_variable(std::string_view name);

std::string to_lower(std::string_view s);

// The built-in and clause-keyword tables are sorted and without duplicates (binary search depends on it); for
// a unit test.
bool builtins_sorted_for_test();

}  // namespace sluice::router
