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
    if (target->backend_thread == 0 || !backend_) {
        send_ok(reply_seq);
        return true;
    }
    // The backend enforces who may kill what: the statement runs as this client's user.
    std::string sql = fmt::format("KILL {} {} {}", kill->hard ? "HARD" : "SOFT",
                                  kill->query_only ? "QUERY" : "CONNECTION", target->backend_thread);
    PendingCommand rewritten;
    rewritten.payload.reserve(sql.size() + 1);
    rewritten.payload.push_back(static_cast<std::uint8_t>(protocol::CommandByte::query));
    rewritten.payload.insert(rewritten.payload.end(), sql.begin(), sql.end());
    forward(rewritten);
    return true;
}

}  // namespace sluice::proxy
