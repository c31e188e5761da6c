// One pass over a statement's tokens for what can appear anywhere in it: table names after FROM / JOIN / INTO
// / TABLE, function calls, variables, locking clauses, SQL_CALC_FOUND_ROWS, RETURNING, NEXT VALUE FOR.

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

#include "router/classify_internal.hpp"
#include "router/keyword_set.hpp"
#include "router/words.hpp"

namespace sluice::router::detail {

namespace {

enum class ListMode : std::uint8_t {
    from,  // FROM / JOIN / USING: names with optional aliases, separated by commas
    ddl,   // TABLE / TABLES / INTO: names separated by commas, no aliases
};

bool is_ddl_like(Verb v) {
    switch (v) {
        case Verb::create:
        case Verb::alter:
        case Verb::drop:
        case Verb::truncate:
        case Verb::maintenance: return true;
        default: return false;
    }
}

// The words on_keyword() acts on: most words of a statement are names, turned away by one lookup; a keyword
// is told apart by a switch, not by a compare per keyword.
enum class BodyWord : std::uint8_t {
    from,
    join,
    straight_join,
    using_,
    into,
    table,
    tables,
    for_,
    lock,
    returning,
    next,
    previous,
    sql_calc_found_rows,  // too long for the set (more than 16 bytes): compared on its own
    none,
};

struct BodyWordName {
    std::string_view name;
    BodyWord word;
};

// Each word with its BodyWord, so neither list's order depends on the other's.
constexpr std::array kBodyWordNames{
    BodyWordName{"FROM", BodyWord::from},
    BodyWordName{"JOIN", BodyWord::join},
    BodyWordName{"STRAIGHT_JOIN", BodyWord::straight_join},
    BodyWordName{"USING", BodyWord::using_},
    BodyWordName{"INTO", BodyWord::into},
    BodyWordName{"TABLE", BodyWord::table},
    BodyWordName{"TABLES", BodyWord::tables},
    BodyWordName{"FOR", BodyWord::for_},
    BodyWordName{"LOCK", BodyWord::lock},
    BodyWordName{"RETURNING", BodyWord::returning},
    BodyWordName{"NEXT", BodyWord::next},
    BodyWordName{"PREVIOUS", BodyWord::previous},
};

constexpr KeywordSet kBodyWords{[] {
    std::array<std::string_view, kBodyWordNames.size()> names{};
    for (std::size_t i = 0; i < names.size(); ++i) names[i] = kBodyWordNames[i].name;
    return names;
}()};

BodyWord body_word(std::string_view word) {
    int i = kBodyWords.index_of(word);
    if (i >= 0) return kBodyWordNames[static_cast<std::size_t>(i)].word;
    return iequals(word, "SQL_CALC_FOUND_ROWS") ? BodyWord::sql_calc_found_rows : BodyWord::none;
}

// Calls to functions that are not built in matter for statements that could otherwise go to a replica.
bool watches_stored_functions(Verb v) {
    return v == Verb::select || v == Verb::values || v == Verb::table || v == Verb::set || v == Verb::do_;
}

class BodyScanner {
  public:
    BodyScanner(Cursor& c, Statement& st, Context& ctx) : c_(c), st_(st), ctx_(ctx) {}

    void run() {
        while (!c_.at_end()) step();
    }

  private:
    void advance() {
        prev_ = c_.tok();
        c_.advance();
    }
    bool prev_is_op(std::string_view op) const { return prev_.kind == TokenKind::op && prev_.text == op; }
    bool prev_is(std::string_view keyword) const {
        return prev_.kind == TokenKind::word && iequals(prev_.text, keyword);
    }

    void step() {
        switch (c_.tok().kind) {
            case TokenKind::word: on_word(); break;
            case TokenKind::quoted_name: on_quoted_name(); break;
            case TokenKind::op: on_op(); break;
            case TokenKind::user_var: on_user_var(); break;
            case TokenKind::system_var: on_system_var(); break;
            default: advance(); break;
        }
    }

    // Inside a subquery's parentheses FROM names tables; inside a function's (EXTRACT(x FROM y)) it does not.
    bool in_query() const { return depth_ == 0 || depth_ >= 64 || ((expr_bits_ >> depth_) & 1u) == 0; }

    void on_op() {
        if (c_.is_op("(")) {
            on_open_paren();
            return;
        }
        if (c_.is_op(")") && depth_ > 0) {
            --depth_;
            if (depth_ < 64 && ((resume_bits_ >> depth_) & 1u) != 0) {
                advance();
                resume_list();
                return;
            }
        }
        advance();
    }

    // A '(' opens a query (a subquery, a derived table, a parenthesized join) or an expression.
    void on_open_paren() {
        ++depth_;
        bool table_list = table_paren_;  // right after FROM / JOIN / a comma of their list
        table_paren_ = false;
        Token next = c_.peek();
        bool query =
            next.kind == TokenKind::word && (iequals(next.text, "SELECT") || iequals(next.text, "WITH"));
        if (query) st_.flags.set(Flag::subquery);
        bool nested =
            query || table_list || (next.kind == TokenKind::op && next.text == "(") ||
            (next.kind == TokenKind::word && (iequals(next.text, "VALUES") || iequals(next.text, "TABLE")));
        if (depth_ < 64) {
            if (nested) {
                expr_bits_ &= ~(std::uint64_t{1} << depth_);
            } else {
                expr_bits_ |= std::uint64_t{1} << depth_;
            }
        }
        advance();
        if (!table_list || query) return;
        if (c_.is_op("(")) {
            table_paren_ = true;  // FROM ((t1))
        } else if (is_name(c_.tok())) {
            read_list(ListMode::from);  // FROM (t1 JOIN t2)
        }
    }

    void on_word();
    // `name`(...) is never a built-in: quoting makes it a stored function's name.
    void on_quoted_name() {
        if (c_.next_is_op("(") && watches_stored_functions(st_.verb)) st_.flags.set(Flag::stored_function);
        advance();
    }
    bool on_keyword();
    void on_function();
    void on_into();
    void on_user_var();
    void on_system_var();
    void read_list(ListMode mode);
    void after_table_reference();
    void resume_list();
    void skip_table_options();
    bool is_cte(const TableRef& t) const {
        return t.schema.empty() && std::any_of(ctx_.cte_names.begin(), ctx_.cte_names.end(),
                                               [&](std::string_view n) { return n == t.name; });
    }

    Cursor& c_;
    Statement& st_;
    Context& ctx_;
    Token prev_;
    unsigned depth_ = 0;
    std::uint64_t expr_bits_ = 0;    // bit d: the parenthesis at depth d is an expression, not a query
    bool table_paren_ = false;       // the next '(' is where a table reference stands
    std::uint64_t resume_bits_ = 0;  // bit d: a FROM list at depth d waits for a derived table's ')'
};

void BodyScanner::on_word() {
    if (on_keyword()) return;
    if (c_.next_is_op("(")) {
        on_function();
        return;
    }
    // Oracle-mode sequence access: seq.NEXTVAL, seq.CURRVAL
    if (prev_is_op(".") && (c_.is("NEXTVAL") || c_.is("CURRVAL") || c_.is("LASTVAL")))
        st_.flags.set(Flag::primary_function);
    advance();
}

// The keywords with a meaning here; true when it consumed what it handled.
bool BodyScanner::on_keyword() {
    switch (body_word(c_.tok().text)) {
        case BodyWord::none: return false;
        case BodyWord::straight_join:
            if (prev_is("SELECT")) return false;  // SELECT STRAIGHT_JOIN: a join-order hint, not a join
            [[fallthrough]];
        case BodyWord::from:
        case BodyWord::join:
            if (!in_query()) return false;  // EXTRACT(x FROM y)
            advance();
            read_list(ListMode::from);
            return true;
        case BodyWord::using_:
            if (st_.verb != Verb::delete_ || c_.next_is_op("(")) return false;  // JOIN ... USING (col)
            advance();
            read_list(ListMode::from);
            return true;
        case BodyWord::into: on_into(); return true;
        case BodyWord::table:
        case BodyWord::tables:
            if (!is_ddl_like(st_.verb)) return false;
            advance();
            read_list(ListMode::ddl);
            return true;
        case BodyWord::for_:
            if (c_.next_is("UPDATE") || c_.next_is("SHARE")) st_.flags.set(Flag::locking_read);
            return false;
        case BodyWord::lock:
            if (c_.next_is("IN")) st_.flags.set(Flag::locking_read);  // LOCK IN SHARE MODE
            return false;
        case BodyWord::sql_calc_found_rows: st_.flags.set(Flag::calc_found_rows); return false;
        case BodyWord::returning:
            if (st_.verb == Verb::insert || st_.verb == Verb::replace || st_.verb == Verb::delete_)
                st_.flags.set(Flag::returning);
            return false;
        case BodyWord::next:
        case BodyWord::previous:
            if (c_.next_is("VALUE")) {  // NEXT VALUE FOR seq
                Cursor ahead = c_;
                ahead.advance();
                ahead.advance();
                if (ahead.is("FOR")) st_.flags.set(Flag::primary_function);
            }
            return false;
    }
    return false;
}

void BodyScanner::on_function() {
    std::string_view name = c_.tok().text;
    bool qualified = prev_is_op(".");
    bool cte = std::any_of(ctx_.cte_names.begin(), ctx_.cte_names.end(),
                           [&](std::string_view n) { return n == name; });
    advance();
    if (cte) return;
    FunctionRole role = qualified ? FunctionRole::stored : function_role(name);
    switch (role) {
        case FunctionRole::plain: break;
        case FunctionRole::same_connection: st_.flags.set(Flag::primary_function); break;
        case FunctionRole::found_rows: st_.flags.set(Flag::found_rows); break;
        case FunctionRole::user_lock: st_.flags.set(Flag::user_lock); break;
        case FunctionRole::user_unlock: st_.flags.set(Flag::user_unlock); break;
        case FunctionRole::user_unlock_all: st_.flags.set(Flag::user_unlock_all); break;
        case FunctionRole::nondeterministic: st_.flags.set(Flag::nondeterministic); break;
        case FunctionRole::stored:
            if (watches_stored_functions(st_.verb)) st_.flags.set(Flag::stored_function);
            break;
    }
}

// INTO @a, @b | INTO OUTFILE / DUMPFILE | INTO [TABLE] t
void BodyScanner::on_into() {
    advance();
    if (c_.tok().kind == TokenKind::user_var) {
        while (c_.tok().kind == TokenKind::user_var) {
            add_unique(st_.vars_assigned, "@" + to_lower(c_.tok().text));
            st_.flags.set(Flag::user_var_assign);
            advance();
            if (!c_.is_op(",")) break;
            advance();
        }
        return;
    }
    if (c_.is("OUTFILE") || c_.is("DUMPFILE")) {
        st_.flags.set(Flag::into_file);
        advance();
        return;
    }
    if (c_.is("TABLE")) advance();
    read_list(ListMode::ddl);
}

void BodyScanner::on_user_var() {
    std::string name = "@" + to_lower(c_.tok().text);
    advance();
    if (st_.verb == Verb::set) return;               // SET's own reader saw its assignments and reads
    if (c_.is_op(":=") || st_.verb == Verb::call) {  // CALL p(@x): @x may be an OUT parameter
        add_unique(st_.vars_assigned, std::move(name));
        if (st_.verb != Verb::call) st_.flags.set(Flag::user_var_assign);
        return;
    }
    add_unique(st_.vars_read, std::move(name));
    st_.flags.set(Flag::user_var_read);
}

void BodyScanner::on_system_var() {
    std::string name = to_lower(c_.tok().text);
    for (std::string_view scope : {"global.", "session.", "local."}) {
        if (name.rfind(scope, 0) == 0) name.erase(0, scope.size());
    }
    advance();
    if (name == "identity" || name == "last_insert_id" || name == "last_gtid") {
        st_.flags.set(Flag::primary_function);
    } else if (st_.verb != Verb::set && is_server_variable(name)) {  // SET's targets are not reads
        st_.flags.set(Flag::server_variable);
        add_unique(st_.vars_read, std::move(name));
    } else if (name == "warning_count" || name == "error_count") {
        st_.flags.set(Flag::diagnostics);
    } else if (st_.verb != Verb::set) {
        add_unique(st_.vars_read, std::move(name));
    }
}

// PARTITION (p0, p1) and index hints: USE | FORCE | IGNORE {INDEX | KEY} [FOR ...] (names)
void BodyScanner::skip_table_options() {
    for (;;) {
        if (c_.is("PARTITION") && c_.next_is_op("(")) {
            advance();
        } else if ((c_.is("USE") || c_.is("FORCE") || c_.is("IGNORE")) &&
                   (c_.next_is("INDEX") || c_.next_is("KEY"))) {
            while (!c_.at_end() && !c_.is_op("(")) advance();
        } else {
            return;
        }
        if (c_.is_op("(")) skip_parens(c_);
    }
}

void BodyScanner::read_list(ListMode mode) {
    if (mode == ListMode::ddl && c_.is("IF")) {  // IF [NOT] EXISTS
        advance();
        if (c_.is("NOT")) advance();
        if (c_.is("EXISTS")) advance();
    }
    TableRef t;
    for (;;) {
        if (mode == ListMode::from && c_.is_op("(")) {  // a derived table: the list goes on after its ')'
            if (depth_ < 64) resume_bits_ |= std::uint64_t{1} << depth_;
            table_paren_ = true;
            return;
        }
        if (!read_table_name(c_, t)) return;
        prev_ = Token{TokenKind::word, {}, 0, false};
        if (!is_cte(t)) add_table(st_, std::move(t));
        if (mode == ListMode::from) after_table_reference();
        if (!c_.is_op(",")) return;
        advance();
    }
}

// An alias ([AS] name), partitions and index hints.
void BodyScanner::after_table_reference() {
    if (c_.is("AS")) {
        advance();
        if (is_name(c_.tok())) advance();
    } else if (c_.tok().kind == TokenKind::word && !is_clause_keyword(c_.tok().text)) {
        advance();
    } else if (c_.tok().kind == TokenKind::quoted_name) {
        advance();
    }
    skip_table_options();
}

// The ')' closing a derived table in a FROM list: `FROM (SELECT ...) AS d, t2` goes on with t2.
void BodyScanner::resume_list() {
    resume_bits_ &= ~(std::uint64_t{1} << depth_);
    after_table_reference();
    if (!c_.is_op(",")) return;
    advance();
    read_list(ListMode::from);
}

}  // namespace

void scan_body(Cursor& c, Statement& st, Context& ctx) {
    BodyScanner scanner(c, st, ctx);
    scanner.run();
}

}  // namespace sluice::router::detail
