// ClientSession, command phase: each client command goes to the backend as it came; the response streams back
// chunk by chunk, watched by a ResponseTracker that says where it ends. Nothing buffers a result set.

#include <fmt/format.h>

#include "protocol/command.hpp"
#include "protocol/inspect.hpp"
#include "protocol/packet.hpp"
#include "proxy/client_session.hpp"
#include "proxy/log.hpp"
#include "proxy/worker.hpp"

namespace sluice::proxy {

void ClientSession::on_client_payload(std::string_view payload, std::uint8_t first_seq,
                                      std::uint8_t last_seq) {
    if (in_local_infile()) {
        // LOCAL INFILE: the file's packets (and the empty one that ends it) go to the backend as they come.
        std::vector<std::uint8_t> out;
        protocol::append_packets(out, first_seq, payload);
        backend_->conn().write(std::move(out));
        scanner_.expect_sequence(static_cast<std::uint8_t>(last_seq + 1));
        if (tracker_->on_client_payload(payload) == protocol::TrackerStatus::protocol_error)
            end("LOCAL INFILE protocol error");
        return;
    }
    PendingCommand cmd{std::vector<std::uint8_t>(payload.begin(), payload.end()), first_seq, last_seq};
    if (state_ == State::idle && pending_.empty())
        run_command(std::move(cmd));
    else
        pending_.push_back(std::move(cmd));  // pipelined behind the running command
}

void ClientSession::run_command(PendingCommand cmd) {
    std::string_view payload = protocol::as_view(cmd.payload);
    auto command = protocol::command_of(payload);
    std::uint8_t reply_seq = static_cast<std::uint8_t>(cmd.last_seq + 1);
    if (!command) {
        end("empty command packet");
        return;
    }
    switch (command->response()) {
        case protocol::ResponseKind::unsupported:
            log(Component::proxy).info("{}refused {} from {}", ctx(id_), command->name(), who());
            send_err(protocol::unknown_command_error(), reply_seq);
            return;
        case protocol::ResponseKind::auth:  // COM_CHANGE_USER
            change_user(cmd);
            return;
        default: break;
    }
    if (command->id() == protocol::CommandByte::quit) {
        end("client quit");
        return;
    }
    if (intercept_kill(cmd)) return;
    if (worker_.paused()) {  // PAUSE on the admin port (KILL above still works)
        hold_paused(std::move(cmd));
        return;
    }
    if (backend_ && backend_->backend_index() != worker_.primary_index() && !in_transaction_) {
        // The primary changed (switchover, failover): between transactions the session follows it. The old
        // connection is clean and goes back to the pool.
        log(Component::proxy).info("{}moving to the new primary", ctx(id_, backend_->name()));
        worker_.runtime().sessions.set_backend(id_, 0);
        worker_.pool().release(std::move(backend_));
    }
    if (!backend_ || (worker_.writes_on_hold() && !in_transaction_)) {
        // No connection (the last one was lost or left behind), or no primary to write to right now: this
        // command waits for a backend, up to failover_hold_timeout while the monitor replaces the primary.
        awaiting_backend_ = std::move(cmd);
        move_to(State::forwarding);
        hold_until_ =
            std::chrono::steady_clock::now() + worker_.runtime().config.monitor.failover_hold_timeout;
        retry_held();
        return;
    }
    forward(cmd);
}

void ClientSession::retry_held() {
    if (!awaiting_backend_ || !hold_until_) return;
    auto now = std::chrono::steady_clock::now();
    if (now >= *hold_until_) {
        hold_until_.reset();
        on_backend_lost(protocol::ErrPacket::make(
            protocol::er::kBackendUnavailable,
            fmt::format("No primary to run this statement on: none was reachable within {} ms",
                        worker_.runtime().config.monitor.failover_hold_timeout.count())));
        return;
    }
    if (worker_.writes_on_hold()) return;  // the monitor is replacing the primary: wait for its news
    std::size_t primary = worker_.primary_index();
    if (backend_) {
        if (backend_->state() != BackendConn::State::ready) return;  // a login in progress reports back
        if (backend_->backend_index() == primary) {
            hold_until_.reset();
            PendingCommand held = std::move(*awaiting_backend_);
            awaiting_backend_.reset();
            forward(held);
            return;
        }
        worker_.runtime().sessions.set_backend(id_, 0);
        worker_.pool().release(std::move(backend_));
    }
    if (worker_.runtime().gates[primary]->retry_in(now).count() > 0)
        return;  // backing off: the clock retries
    open_backend();
}

void ClientSession::forward(const PendingCommand& cmd) {
    std::string_view payload = protocol::as_view(cmd.payload);
    auto command = protocol::command_of(payload);
    std::vector<std::uint8_t> out;
    out.reserve(payload.size() + protocol::kHeaderSize);
    protocol::append_packets(out, cmd.first_seq, payload);
    backend_->conn().write(std::move(out));
    if (!command->expects_response()) {  // COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA
        move_to(State::idle);
        run_pending();
        return;
    }
    if (command->id() == protocol::CommandByte::init_db) init_db_ = std::string(payload.substr(1));
    tracker_.emplace(*command, caps_);
    statement_started_ = std::chrono::steady_clock::now();
    probe_.started(worker_, id_, payload, backend_->name());
    scanner_ = protocol::PacketScanner(worker_.limits().max_packet_size);
    scanner_.expect_sequence(static_cast<std::uint8_t>(cmd.last_seq + 1));
    move_to(State::forwarding);
    backend_->conn().start_reading();
}

void ClientSession::on_backend_data(BackendConn& b, const ChunkRef& chunk, std::string_view data) {
    if (state_ != State::forwarding || !tracker_ || awaiting_backend_) {
        log(Component::proxy)
            .warn("{}unexpected {} bytes from an idle backend connection: dropping it", ctx(id_, b.name()),
                  data.size());
        worker_.graveyard().bury(std::move(backend_));
        return;
    }
    std::size_t pos = 0;
    while (pos < data.size()) {
        auto step = scanner_.step(data.substr(pos));
        if (!step) {
            log(Component::proxy)
                .error("{}malformed response ({}): closing the session", ctx(id_, b.name()),
                       protocol::to_string(step.error()));
            end("malformed backend response");
            return;
        }
        pos += step->consumed;
        if (!step->payload_end) continue;
        auto status = tracker_->on_server_payload(*step->payload_end);
        if (status == protocol::TrackerStatus::protocol_error) {
            log(Component::proxy)
                .error("{}response breaks the protocol for {}: closing the session", ctx(id_, b.name()),
                       tracker_->command().name());
            end("backend protocol error");
            return;
        }
        if (status == protocol::TrackerStatus::need_client)
            framer_.expect_sequence(scanner_.expected_sequence());
        if (status == protocol::TrackerStatus::complete) {
            client_->write(chunk, data.substr(0, pos));
            Counters::add(worker_.counters().bytes_to_clients, pos);
            if (pos < data.size()) {
                log(Component::proxy)
                    .warn("{}{} bytes after the end of a response: dropping the connection",
                          ctx(id_, b.name()), data.size() - pos);
                worker_.graveyard().bury(std::move(backend_));
            }
            on_response_complete();
            return;
        }
    }
    client_->write(chunk, data);
    Counters::add(worker_.counters().bytes_to_clients, data.size());
    // Backpressure: a client that reads slowly stops us reading its backend, so memory stays bounded.
    if (client_->over_high_watermark()) backend_->conn().stop_reading();
}

void ClientSession::on_response_complete() {
    // A reconnect should land in the database the client chose. (USE inside COM_QUERY is not followed yet.)
    if (init_db_ && !tracker_->error()) backend_login_->database = std::move(*init_db_);
    init_db_.reset();
    in_transaction_ = tracker_->in_transaction();
    Counters& counters = worker_.counters();
    Counters::add(counters.statements);
    ++statements_;
    counters.latency.record(std::chrono::steady_clock::now() - statement_started_);
    if (tracker_->error()) {
        Counters::add(counters.errors);
        ++errors_;
    }
    probe_.finished(worker_, tracker_->rows(), in_transaction_, backend_login_->database);
    tracker_.reset();
    move_to(State::idle);
    if (draining_) {
        end("shutdown");
        return;
    }
    run_pending();
}

void ClientSession::run_pending() {
    while (state_ == State::idle && !pending_.empty()) {
        PendingCommand next = std::move(pending_.front());
        pending_.pop_front();
        run_command(std::move(next));
    }
}

void ClientSession::on_backend_ready(BackendConn& b) {
    worker_.runtime().sessions.set_backend(id_, b.thread_id());
    if (state_ == State::connecting_backend) {
        on_login_done();
        return;
    }
    if (awaiting_backend_) {
        hold_until_.reset();
        PendingCommand cmd = std::move(*awaiting_backend_);
        awaiting_backend_.reset();
        forward(cmd);
    }
}

void ClientSession::on_backend_error(BackendConn& b, const protocol::ErrPacket& err) {
    // A lost or unreachable backend is the operator's business; a refused login (1049, 1045) the client's.
    bool connection_failed =
        err.code == protocol::er::kLostConnection.code || err.code == protocol::er::kBackendUnavailable.code;
    log(Component::proxy)
        .log(connection_failed ? spdlog::level::warn : spdlog::level::info, "{}{}", ctx(id_, b.name()),
             err.message);
    worker_.graveyard().bury(std::move(backend_));
    worker_.runtime().sessions.set_backend(id_, 0);
    on_backend_failed(err);
}

void ClientSession::on_backend_failed(const protocol::ErrPacket& err) {
    switch (state_) {
        case State::connecting_backend:
            send_err(err, next_seq_, true);  // e.g. 1049 Unknown database: the login fails as on the server
            return;
        case State::forwarding:
            if (awaiting_backend_ && hold_until_ && std::chrono::steady_clock::now() < *hold_until_ &&
                (err.code == protocol::er::kBackendUnavailable.code ||
                 err.code == protocol::er::kLostConnection.code))
                return;  // not sent yet: keep it while the primary may be replaced (retry_held)
            on_backend_lost(err);
            return;
        default: return;  // idle: the next command opens a new connection
    }
}

void ClientSession::on_backend_lost(const protocol::ErrPacket& err) {
    std::uint8_t seq = awaiting_backend_ ? static_cast<std::uint8_t>(awaiting_backend_->last_seq + 1)
                                         : scanner_.expected_sequence();
    protocol::ErrPacket told = err;
    if (!awaiting_backend_ && err.code == protocol::er::kLostConnection.code)
        told.message = err.message + " during query";
    awaiting_backend_.reset();
    tracker_.reset();
    init_db_.reset();
    probe_.abandoned();
    send_err(told, seq);
    move_to(State::idle);
    if (draining_) {
        end("shutdown");
        return;
    }
    run_pending();
}

}  // namespace sluice::proxy
