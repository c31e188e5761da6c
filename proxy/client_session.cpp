// ClientSession: construction, the client socket's events, state changes and the one way out (end()).

#include "proxy/client_session.hpp"

#include <fmt/format.h>

#include "protocol/inspect.hpp"
#include "proxy/log.hpp"
#include "proxy/worker.hpp"

namespace sluice::proxy {

namespace {

constexpr std::size_t kLoginMaxPayload = 64 * 1024;

std::string_view state_name(ClientSession::State s) {
    switch (s) {
        case ClientSession::State::greeting_sent: return "greeting_sent";
        case ClientSession::State::auth_switch_sent: return "auth_switch_sent";
        case ClientSession::State::waiting_accounts: return "waiting_accounts";
        case ClientSession::State::connecting_backend: return "connecting_backend";
        case ClientSession::State::idle: return "idle";
        case ClientSession::State::forwarding: return "forwarding";
        case ClientSession::State::closed: return "closed";
    }
    return "?";
}

}  // namespace

ClientSession::ClientSession(Worker& worker, std::uint32_t id)
    : worker_(worker),
      id_(id),
      last_activity_(std::chrono::steady_clock::now()),
      scanner_(worker.runtime().config.limits.max_packet_size),
      framer_(kLoginMaxPayload),
      slots_(worker.runtime().backends.size()) {
    rr_.round_robin = id;  // sessions start on different replicas
}

ClientSession::~ClientSession() {
    if (client_) client_->close();
}

void ClientSession::move_to(State next) {
    // Twice per statement: ctx() formats (and allocates) even when the line is dropped, so ask first.
    if (log(Component::proxy).should_log(spdlog::level::trace))
        log(Component::proxy).trace("{}{} -> {}", ctx(id_), state_name(state_), state_name(next));
    state_ = next;
}

std::string ClientSession::who() const {
    return fmt::format("'{}'@'{}'", user_, client_ip_);
}

void ClientSession::check_deadline(std::chrono::steady_clock::time_point now) {
    // Each step may end the session (an ERR that closes it): look again after each.
    for (Slot& slot : slots_) {
        if (slot.conn) slot.conn->check_deadline(now);
        if (state_ == State::closed) return;
    }
    if (job_ && !job_->sent && !internal_ && (job_->hold_until || job_->slot_wait_until || job_->retry_at))
        advance();
    if (state_ == State::closed) return;
    if (discarding_ && now >= deadline_) {
        end("oversized packet");
        return;
    }
    bool logging_in = state_ == State::greeting_sent || state_ == State::auth_switch_sent ||
                      state_ == State::waiting_accounts;
    if (logging_in && now >= deadline_) {
        log(Component::proxy).info("{}handshake timeout: {} did not finish logging in", ctx(id_), client_ip_);
        end("handshake timeout");
        return;
    }
    auto idle_timeout = worker_.limits().idle_timeout;
    if (state_ == State::idle && idle_timeout.count() > 0 && now - last_activity_ >= idle_timeout) {
        log(Component::proxy).info("{}closing {} after {} ms idle", ctx(id_), who(), idle_timeout.count());
        end("idle timeout");
        return;
    }
    if (logged_in_ && (probe_.stale() || held_mask() != held_mask_)) publish_activity();
}

void ClientSession::on_read(Connection&, const ChunkRef&, std::string_view data) {
    last_activity_ = std::chrono::steady_clock::now();
    Counters::add(worker_.counters().bytes_from_clients, data.size());
    if (discarding_) return;  // the rest of an oversized packet: the client reads our ERR once it has sent it
    // Whole packets are read in place in the chunk; whatever is left when this returns (a packet's start) is
    // copied into the framer. Each payload is copied out (take_payload_buffer) before the next is read.
    framer_.lend(data);
    struct Keep {
        protocol::PacketFramer& f;
        ~Keep() { f.keep(); }
    } keep{framer_};
    while (state_ != State::closed) {
        bool login = state_ == State::greeting_sent || state_ == State::auth_switch_sent;
        if (login) framer_.expect_sequence(next_seq_);
        auto next = framer_.next();
        if (!next) {
            if (next.error() == protocol::ParseError::too_large) {
                log(Component::proxy)
                    .info("{}packet from {} larger than max_packet_size ({} bytes)", ctx(id_), who(),
                          worker_.runtime().config.limits.max_packet_size);
                send_err(protocol::ErrPacket::make(protocol::er::kNetPacketTooLarge,
                                                   "Got a packet bigger than 'max_allowed_packet' bytes"),
                         framer_.expected_sequence());
                // Closing now would reset the connection under a client still sending, and it would never
                // read the ERR: swallow what it sends for a while, then close.
                discarding_ = true;
                deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            } else {
                log(Component::proxy)
                    .info("{}malformed packets from {} ({}): closing", ctx(id_), client_ip_,
                          protocol::to_string(next.error()));
                end("malformed packets");
            }
            return;
        }
        if (!next->has_value()) return;
        const protocol::Frame& f = **next;
        if (login)
            on_login_payload(f.payload, f.last_seq);
        else if (state_ == State::waiting_accounts || state_ == State::connecting_backend)
            end("client sent data before login finished");
        else
            on_client_payload(f.payload, f.first_seq, f.last_seq);
        // The next payload starts a new command, at sequence 0, unless it is LOCAL INFILE data that goes on
        // from the server's request (set in on_backend_data).
        if (!login && !in_local_infile()) framer_.expect_sequence(0);
    }
}

void ClientSession::on_read_error(Connection&, int status) {
    if (status != UV_EOF)
        log(Component::proxy)
            .info("{}client {} connection error: {}", ctx(id_), client_ip_, uv_strerror(status));
    end(status == UV_EOF ? "client closed the connection" : "client connection error");
}

void ClientSession::on_write_error(Connection&, int status) {
    log(Component::proxy).info("{}cannot write to client {}: {}", ctx(id_), client_ip_, uv_strerror(status));
    end("client write error");
}

void ClientSession::send_err(const protocol::ErrPacket& err, std::uint8_t seq, bool then_close) {
    if (!client_) return;
    Counters::add(worker_.counters().errors);
    ++errors_;
    client_->write(protocol::framed_err(err, seq, caps_));
    if (then_close) end(err.message);
}

void ClientSession::drain() {
    draining_ = true;
    if (state_ != State::forwarding) end("shutdown");
}

void ClientSession::end(std::string_view why, bool flush) {
    if (state_ == State::closed) return;
    if (log(Component::proxy).should_log(spdlog::level::debug))
        log(Component::proxy).debug("{}session ends: {}", ctx(id_), why);
    bool clean = state_ == State::idle;
    move_to(State::closed);
    if (!clean && job_ && slots_[job_->backend].conn)
        worker_.graveyard().bury(std::move(slots_[job_->backend].conn));
    if (internal_ && slots_[internal_->backend].conn)
        worker_.graveyard().bury(std::move(slots_[internal_->backend].conn));
    if (job_) count_outstanding(*job_, false);
    release_slots();
    client_->close(flush);
    client_ = nullptr;
    worker_.session_ended(*this);
}

}  // namespace sluice::proxy
