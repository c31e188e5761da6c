// ClientSession: binary-protocol prepared statements across backends. The client knows each statement by an
// id Sluice gives it (PREPARE_OK is rewritten); every backend that executes it has it prepared lazily and
// knows it by its own id. A statement is classified once, at PREPARE, and each EXECUTE is routed like its
// text. Parameter types sent once are resent to a backend that has not seen them; SEND_LONG_DATA is held
// until the execute's backend is known.

#include <fmt/format.h>

#include "protocol/byte_reader.hpp"
#include "protocol/packet.hpp"
#include "protocol/stmt_execute.hpp"
#include "proxy/client_session.hpp"
#include "proxy/log.hpp"
#include "proxy/worker.hpp"

namespace sluice::proxy {

namespace {

constexpr std::size_t kIdOffset = 1;  // after the command byte (and PREPARE_OK's 0x00)

std::optional<std::uint32_t> id_at(std::string_view payload) {
    if (payload.size() < kIdOffset + 4) return std::nullopt;
    protocol::ByteReader r(payload.substr(kIdOffset));
    return r.u32();
}

void put_id(std::vector<std::uint8_t>& payload, std::size_t offset, std::uint32_t id) {
    for (int i = 0; i < 4; ++i)
        payload[offset + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(id >> (8 * i));
}

}  // namespace

bool ClientSession::statement_command(const PendingCommand& cmd, protocol::Command command) {
    std::string_view payload = protocol::as_view(cmd.payload);
    switch (command.id()) {
        case protocol::CommandByte::stmt_send_long_data: {
            // No response: held until the execute's backend is known.
            auto id = id_at(payload);
            auto it = id ? prepared_.find(*id) : prepared_.end();
            if (it == prepared_.end()) {
                log(Component::proxy)
                    .info("{}COM_STMT_SEND_LONG_DATA for unknown statement {}: ignored", ctx(id_),
                          id.value_or(0));
                return true;
            }
            it->second.long_data.push_back(cmd.payload);
            return true;
        }
        case protocol::CommandByte::stmt_close: {
            auto id = id_at(payload);
            if (!id) return true;
            for (std::size_t i = 0; i < slots_.size(); ++i) {
                Slot& s = slots_[i];
                auto it = s.statements.find(*id);
                if (it == s.statements.end()) continue;
                if (s.conn && s.conn->state() == BackendConn::State::ready) {
                    std::vector<std::uint8_t> close = cmd.payload;
                    put_id(close, kIdOffset, it->second);
                    std::vector<std::uint8_t> out;
                    protocol::append_packets(out, 0, protocol::as_view(close));
                    s.conn->conn().write(std::move(out));
                }
                s.statements.erase(it);
                s.types_sent.erase(*id);
            }
            prepared_.erase(*id);
            return true;
        }
        default: return false;
    }
}

void ClientSession::statement_job(Job& j) {
    std::string_view payload = protocol::as_view(j.cmd.payload);
    if (j.command.id() == protocol::CommandByte::stmt_prepare) {
        j.client_stmt = next_stmt_id_++;
        if (next_stmt_id_ == protocol::kLastPreparedStatement) next_stmt_id_ = 1;
        return;  // routed as a primary statement (or into the open transaction)
    }
    auto id = id_at(payload);
    if (id && *id == protocol::kLastPreparedStatement) id = last_prepared_;
    auto it = id ? prepared_.find(*id) : prepared_.end();
    if (it == prepared_.end()) return;  // unknown: the primary answers with its own error
    Prepared& p = it->second;
    j.client_stmt = *id;
    if (j.command.id() == protocol::CommandByte::stmt_execute) {
        j.st = p.st;
        return;
    }
    // FETCH and RESET belong where the statement last executed (its cursor, its parameters).
    if (p.last_backend && slots_[*p.last_backend].conn) {
        j.routed = true;
        j.backend = *p.last_backend;
        j.plan.backend = j.backend;
        j.plan.target = router::Target::named;
        j.plan.reason = "statement's last execution";
    }
    if (j.command.id() == protocol::CommandByte::stmt_reset) p.long_data.clear();
}

// The command as `s`'s backend must see it: its own statement id, parameter types it has not seen, and the
// long data held for an execute, sent just before it.
void ClientSession::rewrite_statement_payload(Job& j, Slot& s, std::vector<std::uint8_t>& out) {
    std::string_view payload = protocol::as_view(j.cmd.payload);
    auto own = s.statements.find(j.client_stmt);
    auto it = prepared_.find(j.client_stmt);
    if (own == s.statements.end() || it == prepared_.end() || payload.size() < kIdOffset + 4) {
        protocol::append_packets(out, j.cmd.first_seq, payload);
        return;
    }
    Prepared& p = it->second;
    p.last_backend = j.backend;
    // Usually the payload goes as it came, but for the statement id, patched in the packets built (the id
    // lies in the first packet however long the payload is).
    std::vector<std::uint8_t> with_types;
    if (j.command.id() == protocol::CommandByte::stmt_execute) {
        for (std::vector<std::uint8_t> long_data : p.long_data) {
            put_id(long_data, kIdOffset, own->second);
            protocol::append_packets(out, 0, protocol::as_view(long_data));
        }
        p.long_data.clear();
        // id(4) flags(1) iterations(4), then NULL bitmap, the "types follow" flag and the types.
        std::size_t bound_at = kIdOffset + 4 + 1 + 4 + (p.params + 7) / 8;
        if (p.params > 0 && payload.size() > bound_at) {
            std::size_t types_len = 2 * static_cast<std::size_t>(p.params);
            auto flag = static_cast<std::uint8_t>(payload[bound_at]);
            if (flag == 1 && payload.size() >= bound_at + 1 + types_len) {
                p.types.assign(payload.begin() + static_cast<std::ptrdiff_t>(bound_at + 1),
                               payload.begin() + static_cast<std::ptrdiff_t>(bound_at + 1 + types_len));
                for (Slot& other : slots_) other.types_sent.erase(j.client_stmt);
                s.types_sent.insert(j.client_stmt);
            } else if (flag == 0 && !s.types_sent.contains(j.client_stmt) && p.types.size() == types_len) {
                // This backend has not seen the types the client sent with an earlier execute elsewhere.
                with_types.assign(payload.begin(), payload.end());
                with_types[bound_at] = 1;
                with_types.insert(with_types.begin() + static_cast<std::ptrdiff_t>(bound_at + 1),
                                  p.types.begin(), p.types.end());
                payload = protocol::as_view(with_types);
                s.types_sent.insert(j.client_stmt);
            }
        }
    }
    std::size_t at = out.size() + protocol::kHeaderSize + kIdOffset;
    protocol::append_packets(out, j.cmd.first_seq, payload);
    put_id(out, at, own->second);
}

// PREPARE_OK carries the backend's statement id at payload bytes 1..4 (stream bytes 5..8, after the first
// header): the client gets the session's id there instead.
void ClientSession::patch_prepare_ok(Job& j, std::string_view data, std::vector<std::uint8_t>& out) {
    out.assign(data.begin(), data.end());
    constexpr std::size_t kFirstByte = protocol::kHeaderSize;
    for (std::size_t i = 0; i < out.size(); ++i) {
        std::size_t at = j.response_bytes + i;
        if (at == kFirstByte) j.patch_id = out[i] == 0x00;
        if (j.patch_id && at >= kFirstByte + kIdOffset && at < kFirstByte + kIdOffset + 4) {
            std::size_t k = at - kFirstByte - kIdOffset;
            out[i] = static_cast<std::uint8_t>(j.client_stmt >> (8 * k));
        }
        if (at >= kFirstByte + kIdOffset + 4) break;
    }
    j.response_bytes += data.size();
}

}  // namespace sluice::proxy
