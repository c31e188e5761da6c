// ClientSession: KILL with the connection ids clients saw in Sluice's greeting. They are Sluice's session ids
// (kFirstSessionId and up), not backend thread ids, so the statement is rewritten to name the backend thread
// behind that session. Ids below kFirstSessionId are backend thread ids (from CONNECTION_ID()) and pass as
// is.

#include <fmt/format.h>

#include "protocol/commands.hpp"
#include "proxy/client_session.hpp"
#include "proxy/log.hpp"
#include "proxy/worker.hpp"
#include "router/kill_statement.hpp"

namespace sluice::proxy {

namespace {

std::optional<router::KillStatement> kill_of(std::string_view payload) {
    protocol::ByteReader r(payload);
    auto cmd = protocol::command_of(payload);
    if (!cmd) return std::nullopt;
    if (cmd->id() == protocol::CommandByte::query) return router::parse_kill(payload.substr(1));
    if (cmd->id() == protocol::CommandByte::process_kill) {
        auto k = protocol::ComProcessKill::parse(r);
        if (k) return router::KillStatement{false, true, k->connection_id};
    }
    return std::nullopt;
}

}  // namespace

bool ClientSession::intercept_kill(const PendingCommand& cmd) {
    auto kill = kill_of(protocol::as_view(cmd.payload));
    if (!kill || kill->id < kFirstSessionId || kill->id > UINT32_MAX) return false;
    auto id = static_cast<std::uint32_t>(kill->id);
    std::uint8_t reply_seq = static_cast<std::uint8_t>(cmd.last_seq + 1);
    auto target = worker_.runtime().sessions.find(id);
    if (!target) {
        send_err(
            protocol::ErrPacket::make(protocol::er::kUnknownThread, fmt::format("Unknown thread id: {}", id)),
            reply_seq);
        return true;
    }
    log(Component::proxy)
        .info("{}KILL {}{} for session {}", ctx(id_), kill->query_only ? "QUERY " : "", id,
              target->backend_thread ? fmt::format("(backend thread {})", target->backend_thread)
                                     : std::string("(no backend connection)"));
    if (!kill->query_only && id == id_) {
        end("KILL of its own connection");
        return true;
    }
    if (!kill->query_only) target->worker->kill_session(id);
    if (target->backend_thread == 0) {
        send_ok(reply_seq);
        return true;
    }
    // The backend enforces who may kill what: the statement runs as this client's user, on the server that
    // runs that thread.
    std::string sql = fmt::format("KILL {} {} {}", kill->hard ? "HARD" : "SOFT",
                                  kill->query_only ? "QUERY" : "CONNECTION", target->backend_thread);
    Job j;
    j.command = protocol::Command{static_cast<std::uint8_t>(protocol::CommandByte::query)};
    j.cmd.payload.reserve(sql.size() + 1);
    j.cmd.payload.push_back(static_cast<std::uint8_t>(protocol::CommandByte::query));
    j.cmd.payload.insert(j.cmd.payload.end(), sql.begin(), sql.end());
    j.cmd.first_seq = cmd.first_seq;
    j.cmd.last_seq = cmd.last_seq;
    j.st = std::make_shared<const router::Statement>();
    j.routed = true;
    j.backend = target->backend < slots_.size() ? target->backend : worker_.primary_index();
    j.plan.backend = j.backend;
    j.plan.target = router::Target::named;
    j.plan.reason = "KILL: the server running that thread";
    job_ = std::move(j);
    move_to(State::forwarding);
    advance();
    return true;
}

}  // namespace sluice::proxy
