// Transaction control. route() keeps a transaction on one backend from its start to its end; the end itself
// is learnt from the server's status flags (SessionState::on_server_status), which also see implicit commits.

#include "router/classify_internal.hpp"

namespace sluice::router::detail {

namespace {

Body transaction(Statement& st, Verb verb) {
    set_class(st, Kind::transaction, verb, Placement::primary);
    return Body::skip;
}

}  // namespace

// BEGIN [WORK] starts a transaction; BEGIN NOT ATOMIC starts a compound statement.
Body head_begin(Cursor& c, Statement& st, Context&) {
    if (c.is("NOT")) {
        set_class(st, Kind::other, Verb::compound, Placement::primary);
        take_compound(c, st);
        return Body::skip;
    }
    return transaction(st, Verb::begin);
}

// START TRANSACTION [WITH CONSISTENT SNAPSHOT] [, READ ONLY | READ WRITE]; the cursor is at TRANSACTION.
Body head_start(Cursor& c, Statement& st, Context&) {
    transaction(st, Verb::begin);
    for (; !c.at_end(); c.advance()) {
        if (c.is("READ") && (c.next_is("ONLY") || c.next_is("WRITE"))) st.read_only = c.next_is("ONLY");
    }
    return Body::skip;
}

Body head_commit(Cursor&, Statement& st, Context&) {
    return transaction(st, Verb::commit);
}

// ROLLBACK [WORK] [TO [SAVEPOINT] name] [AND [NO] CHAIN] [[NO] RELEASE]
Body head_rollback(Cursor& c, Statement& st, Context&) {
    c.accept("WORK");
    return transaction(st, c.is("TO") ? Verb::rollback_to_savepoint : Verb::rollback);
}

Body head_savepoint(Cursor&, Statement& st, Context&) {
    return transaction(st, Verb::savepoint);
}

Body head_release(Cursor& c, Statement& st, Context&) {
    if (c.is("SAVEPOINT")) return transaction(st, Verb::release_savepoint);
    return Body::skip;
}

Body head_xa(Cursor&, Statement& st, Context&) {
    return transaction(st, Verb::xa);
}

}  // namespace sluice::router::detail
