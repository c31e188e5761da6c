#include "proxy/statement_probe.hpp"

#include "protocol/command.hpp"
#include "proxy/worker.hpp"
#include "router/fingerprint.hpp"

namespace sluice::proxy {

SessionActivity* StatementProbe::cell(Worker& w, std::uint32_t id) {
    if (!activity_) activity_ = w.runtime().sessions.activity(id);  // once per session: one map lookup
    return activity_.get();
}

void StatementProbe::logged_in(Worker& w, std::uint32_t id, std::string_view client, std::string_view user,
                               std::string_view database, std::string_view backend) {
    if (auto* c = cell(w, id))
        c->update([&](SessionInfo& i) {
            i.client = client;
            i.user = user;
            i.database = database;
            i.backend = backend;
        });
}

void StatementProbe::started(std::string_view payload, std::string_view backend,
                             std::chrono::steady_clock::time_point at, const router::TokenLog* tokens,
                             router::LexerOptions options) {
    started_ = at;
    running_ = true;
    stale_ = true;
    backend_ = backend;
    auto command = protocol::command_of(payload);
    query_ = command && command->id() == protocol::CommandByte::query;
    if (!query_) return;
    if (tokens)
        router::fingerprint_into(fingerprint_, *tokens, options);
    else
        router::fingerprint_into(fingerprint_, payload.substr(1), options);
}

void StatementProbe::finished(Worker& w, std::uint64_t rows) {
    if (!running_) return;
    running_ = false;
    stale_ = true;
    if (query_) w.digests().record(fingerprint_, backend_, std::chrono::steady_clock::now() - started_, rows);
}

void StatementProbe::abandoned() {
    running_ = false;
    stale_ = true;
}

void StatementProbe::held(Worker& w, std::uint32_t id, bool on) {
    if (auto* c = cell(w, id)) c->update([on](SessionInfo& i) { i.held = on; });
}

void StatementProbe::publish(Worker& w, std::uint32_t id, std::string_view payload, bool in_transaction,
                             std::string_view database, std::string_view held) {
    stale_ = false;
    auto* c = cell(w, id);
    if (!c) return;
    c->update([&](SessionInfo& i) {
        if (running_) {
            if (query_ && !payload.empty())
                SessionActivity::assign_truncated(i.statement, payload.substr(1));
            else if (auto command = protocol::command_of(payload))
                i.statement.assign(command->name());
            else
                i.statement.assign("?");
            i.started = started_;
        } else {
            i.statement.clear();
            i.started.reset();
        }
        i.in_transaction = in_transaction;
        i.database = database;
        i.backend = held;
    });
}

}  // namespace sluice::proxy
