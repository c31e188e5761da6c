#pragma once
// Shared by the classifier's files (classify*.cpp); not part of the router's interface.
//
// A statement is read in two steps: its head (the first words, by a reader chosen from a {keyword, reader}
// table) fixes the verb, the kind and the placement; then, for the verbs that ask for it, one pass over all
// its tokens (classify_body.cpp) finds flags, variables and table names wherever they are. finalize() turns
// the flags into the placement.

#include <string>
#include <string_view>
#include <vector>

#include "router/classify.hpp"
#include "router/cursor.hpp"
#include "router/statement.hpp"

namespace sluice::router::detail {

struct Context {
    std::string_view sql;
    ClassifyOptions options;
    std::vector<std::string_view> cte_names;  // WITH names: not tables, and `name(` is no function call
    int depth = 0;                            // nesting of PREPARE / EXECUTE IMMEDIATE texts, bounded
    int head_depth = 0;  // nesting of heads (ANALYZE ANALYZE ..., WITH ... WITH), bounded
};

enum class Body : std::uint8_t { scan, skip };

// Reads one statement (head, body, finalize) and leaves the cursor at its end.
void parse_statement(Cursor& c, Statement& st, Context& ctx);
// Reads the head from the cursor (at the statement's first token).
Body parse_head(Cursor& c, Statement& st, Context& ctx);
void scan_body(Cursor& c, Statement& st, Context& ctx);
void finalize(Statement& st);

using HeadReader = Body (*)(Cursor&, Statement&, Context&);
// Readers by family; each is called with the cursor just after its keyword.
Body head_set(Cursor& c, Statement& st, Context& ctx);      // classify_set.cpp
Body head_use(Cursor& c, Statement& st, Context& ctx);      // classify_set.cpp
Body head_prepare(Cursor& c, Statement& st, Context& ctx);  // classify_prepare.cpp
Body head_execute(Cursor& c, Statement& st, Context& ctx);  // classify_prepare.cpp
Body head_deallocate(Cursor& c, Statement& st, Context& ctx);
Body head_show(Cursor& c, Statement& st, Context& ctx);     // classify_show.cpp
Body head_explain(Cursor& c, Statement& st, Context& ctx);  // classify_show.cpp
Body head_create(Cursor& c, Statement& st, Context& ctx);   // classify_ddl.cpp
Body head_alter(Cursor& c, Statement& st, Context& ctx);
Body head_drop(Cursor& c, Statement& st, Context& ctx);
Body head_rename(Cursor& c, Statement& st, Context& ctx);
Body head_truncate(Cursor& c, Statement& st, Context& ctx);
Body head_analyze(Cursor& c, Statement& st, Context& ctx);
Body head_maintenance(Cursor& c, Statement& st, Context& ctx);
Body head_check(Cursor& c, Statement& st, Context& ctx);
Body head_lock(Cursor& c, Statement& st, Context& ctx);
Body head_unlock(Cursor& c, Statement& st, Context& ctx);
Body head_handler(Cursor& c, Statement& st, Context& ctx);
Body head_begin(Cursor& c, Statement& st, Context& ctx);  // classify_transaction.cpp
Body head_start(Cursor& c, Statement& st, Context& ctx);
Body head_commit(Cursor& c, Statement& st, Context& ctx);
Body head_rollback(Cursor& c, Statement& st, Context& ctx);
Body head_savepoint(Cursor& c, Statement& st, Context& ctx);
Body head_release(Cursor& c, Statement& st, Context& ctx);
Body head_xa(Cursor& c, Statement& st, Context& ctx);

// classify_util.cpp
void set_class(Statement& st, Kind kind, Verb verb, Placement placement);
// `name` or `schema.name`, word or quoted; false (nothing consumed) when the cursor is not at a name.
bool read_table_name(Cursor& c, TableRef& out);
void add_table(Statement& st, TableRef table);
void add_unique(std::vector<std::string>& names, std::string name);
bool is_name(const Token& t);         // a word or a quoted name
std::string name_of(const Token& t);  // identifier text, `a``b` unescaped to a`b
// A string literal's value: quotes, doubled quotes and (unless no_backslash_escapes) backslashes resolved.
std::string string_value(const Token& t, const LexerOptions& options);
// Skips a balanced ( ... ) group; the cursor is at '('.
void skip_parens(Cursor& c);
// Turns the rest of the input into one statement (a routine body, whose ';' are its own).
void take_compound(Cursor& c, Statement& st);
// Reads a nested statement from text (PREPARE ... FROM '...', EXECUTE IMMEDIATE '...').
Statement classify_nested(std::string_view sql, Context& ctx);

}  // namespace sluice::router::detail
