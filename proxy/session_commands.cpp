// ClientSession, command phase: each client command becomes a Job, is routed (session_route.cpp) and sent as
// it came; the response streams back chunk by chunk, watched by a ResponseTracker that says where it ends.
// Nothing buffers a result set.

#include <fmt/format.h>

#include "protocol/command.hpp"
#include "protocol/commands.hpp"
#include "protocol/inspect.hpp"
#include "protocol/packet.hpp"
#include "protocol/stmt_execute.hpp"
#include "proxy/backend_pool.hpp"
#include "proxy/client_session.hpp"
#include "proxy/log.hpp"
#include "proxy/worker.hpp"
#include "router/classify.hpp"

namespace sluice::proxy {

namespace {

// What the router decides for commands that carry no SQL: the primary (or the open transaction's backend).
std::shared_ptr<const router::Statement> primary_statement() {
    static const auto shared = [] {
        router::Statement st;
        st.kind = router::Kind::other;
        st.placement = router::Placement::primary;
        return std::make_shared<const router::Statement>(std::move(st));
    }();
    return shared;
}

std::shared_ptr<const router::Statement> classified(std::string_view sql, router::LexerOptions options,
                                                    router::TokenLog* tokens = nullptr) {
    return std::make_shared<const router::Statement>(router::classify(sql, {options, tokens}));
}

// A plain read that succeeded without a warning leaves nothing on its connection that a later client could
// see (no variable, no diagnostics, no FOUND_ROWS): the connection can go back to the pool without a reset.
bool leaves_no_state(protocol::Command command, const router::Statement* st,
                     const protocol::ResponseTracker& t) {
    using router::Flag;
    if (command.id() != protocol::CommandByte::ping &&
        (command.id() != protocol::CommandByte::query || !st || st->kind != router::Kind::read ||
         st->placement != router::Placement::replica_ok ||
         st->flags.any(Flag::calc_found_rows | Flag::found_rows | Flag::diagnostics | Flag::multi_statement)))
        return false;
    return !t.error() && t.warnings() == 0;
}

std::string quote_name(std::string_view name) {
    std::string out = "`";
    for (char c : name) {
        if (c == '`') out += '`';
        out += c;
    }
    return out + "`";
}

}  // namespace

void ClientSession::on_client_payload(std::string_view payload, std::uint8_t first_seq,
                                      std::uint8_t last_seq) {
    if (in_local_infile()) {
        // LOCAL INFILE: the file's packets (and the empty one that ends it) go to the backend as they come.
        std::vector<std::uint8_t> out;
        protocol::append_packets(out, first_seq, payload);
        slots_[job_->backend].conn->conn().write(std::move(out));
        scanner_.expect_sequence(static_cast<std::uint8_t>(last_seq + 1));
        if (tracker_->on_client_payload(payload) == protocol::TrackerStatus::protocol_error)
            end("LOCAL INFILE protocol error");
        return;
    }
    PendingCommand cmd{take_payload_buffer(payload), first_seq, last_seq};
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
        end("client quit", false);
        return;
    }
    if (intercept_kill(cmd)) return;
    if (worker_.paused()) {  // PAUSE on the admin port (KILL above still works)
        hold_paused(std::move(cmd));
        return;
    }
    if (statement_command(cmd, *command)) return;
    Job& j = job_.emplace();  // built in place: a Job (and its Statement) is costly to move
    j.command = *command;
    switch (command->id()) {
        case protocol::CommandByte::query:  // its tokens kept for the digest (payload's bytes move with it)
            j.st = classified(payload.substr(1), router_.lexer_options, &worker_.token_log());
            break;
        case protocol::CommandByte::init_db:
            j.st = classified("USE " + quote_name(payload.substr(1)), router_.lexer_options);
            break;
        default: break;
    }
    j.cmd = std::move(cmd);
    switch (command->id()) {
        case protocol::CommandByte::stmt_prepare:
        case protocol::CommandByte::stmt_execute:
        case protocol::CommandByte::stmt_fetch:
        case protocol::CommandByte::stmt_reset: statement_job(j); break;
        default: break;
    }
    if (!j.st) j.st = primary_statement();
    move_to(State::forwarding);
    advance();
}

void ClientSession::run_pending() {
    while (state_ == State::idle && !pending_.empty()) {
        PendingCommand next = std::move(pending_.front());
        pending_.pop_front();
        run_command(std::move(next));
    }
}

// Statements are small and many: their payload buffers go round instead of to the allocator.
// A command's payload lives in a buffer lent by the worker (BufferPool), so that a statement allocates none.
std::vector<std::uint8_t> ClientSession::take_payload_buffer(std::string_view payload) {
    std::vector<std::uint8_t> buf = worker_.buffers().take();
    buf.assign(payload.begin(), payload.end());
    return buf;
}

void ClientSession::recycle_payload_buffer(std::vector<std::uint8_t> buf) {
    worker_.buffers().give_back(std::move(buf));
}

void ClientSession::finish_job() {
    if (job_) {
        count_outstanding(*job_, false);
        recycle_payload_buffer(std::move(job_->cmd.payload));
    }
    job_.reset();
    tracker_.reset();
    move_to(State::idle);
    if (draining_) {
        end("shutdown");
        return;
    }
    run_pending();
}

void ClientSession::fail_job(const protocol::ErrPacket& err) {
    std::uint8_t seq = job_ && !job_->sent ? static_cast<std::uint8_t>(job_->cmd.last_seq + 1)
                                           : scanner_.expected_sequence();
    send_err(err, seq);
    probe_.abandoned();
    finish_job();
}

void ClientSession::on_backend_data(BackendConn& b, const ChunkRef& chunk, std::string_view data) {
    std::size_t index = slot_of(b);
    if (internal_ && internal_->backend == index) {
        on_internal_data(data);
        return;
    }
    if (!job_ || !job_->sent || job_->backend != index || !tracker_) {
        log(Component::proxy)
            .warn("{}unexpected {} bytes from an idle backend connection: dropping it", ctx(id_, b.name()),
                  data.size());
        lose_slot(index, "unexpected data");
        return;
    }
    Job& j = *job_;
    std::size_t pos = 0;
    auto malformed = [&](protocol::ParseError e) {
        log(Component::proxy)
            .error("{}malformed response ({}): closing the session", ctx(id_, b.name()),
                   protocol::to_string(e));
        end("malformed backend response");
    };
    while (pos < data.size()) {
        // Result rows held whole by the chunk: counted in a tight loop (nothing to decide about them).
        if (tracker_->expects_rows()) {
            std::size_t rows = 0;
            pos += scanner_.take_whole(data.substr(pos), [&rows](std::string_view head, std::size_t) {
                if (!protocol::ResponseTracker::is_plain_row(head)) return false;
                ++rows;
                return true;
            });
            tracker_->add_rows(rows);
            if (pos == data.size()) break;
        }
        protocol::TrackerStatus status;
        auto whole = scanner_.whole(data.substr(pos));  // a whole packet in the chunk: no copy, one step
        if (!whole) return malformed(whole.error());
        if (*whole) {
            pos += (*whole)->consumed;  // not a plain row: take_whole() would have taken it
            status = tracker_->on_server_payload((*whole)->head, (*whole)->length);
        } else {
            auto step = scanner_.step(data.substr(pos));
            if (!step) return malformed(step.error());
            pos += step->consumed;
            if (!step->payload_end) continue;
            status = tracker_->on_server_payload(*step->payload_end);
        }
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
            if (pos == data.size() && retry_refused_write(j)) return;
            std::string_view mine = data.substr(0, pos);
            if (j.command.id() == protocol::CommandByte::stmt_prepare) {
                std::vector<std::uint8_t> out;
                patch_prepare_ok(j, mine, out);
                client_->write(std::move(out));
            } else {
                client_->write(chunk, mine);
            }
            Counters::add(worker_.counters().bytes_to_clients, pos);
            if (pos < data.size()) {
                log(Component::proxy)
                    .warn("{}{} bytes after the end of a response: dropping the connection",
                          ctx(id_, b.name()), data.size() - pos);
                on_response_complete();
                lose_slot(index, "bytes after a response");
                return;
            }
            on_response_complete();
            return;
        }
    }
    j.to_client = true;
    if (j.command.id() == protocol::CommandByte::stmt_prepare) {
        std::vector<std::uint8_t> out;
        patch_prepare_ok(j, data, out);
        client_->write(std::move(out));
    } else {
        client_->write(chunk, data);
    }
    Counters::add(worker_.counters().bytes_to_clients, data.size());
    // Backpressure: a client that reads slowly stops us reading its backend, so memory stays bounded.
    if (client_->over_high_watermark()) b.conn().stop_reading();
}

void ClientSession::on_drained(Connection&) {
    // The client caught up: resume reading the backend (see on_backend_data).
    if (job_ && job_->sent && state_ == State::forwarding && slots_[job_->backend].conn)
        slots_[job_->backend].conn->conn().start_reading();
}

void ClientSession::on_response_complete() {
    Job& j = *job_;
    Counters& counters = worker_.counters();
    Counters::add(counters.statements);
    ++statements_;
    counters.latency.record(std::chrono::steady_clock::now() - j.started);
    const protocol::ResponseTracker& t = *tracker_;
    if (t.server_status() != 0) router_.on_server_status(t.server_status());
    if (t.error()) {
        Counters::add(counters.errors);
        ++errors_;
    } else {
        after_success(j, t);
    }
    if (j.backend != worker_.primary_index()) Counters::add(counters.replica_reads);
    if (!leaves_no_state(j.command, j.st.get(), t)) slots_[j.backend].dirty = true;
    probe_.finished(worker_, t.rows());
    finish_job();
}

// What a statement that succeeded changed: the router's session state, the other connections' missed session
// commands, prepared statements.
void ClientSession::after_success(Job& j, const protocol::ResponseTracker& t) {
    const router::Statement& st = *j.st;
    router_.on_executed(st, j.plan, backend_name(j.backend),
                        {.on_primary = j.backend == worker_.primary_index(),
                         .prepared = j.command.id() == protocol::CommandByte::stmt_execute});
    if (j.plan.target == router::Target::all) {
        // What the other connections run before their next use. COM_INIT_DB was classified as its `USE`.
        const std::string sql =
            st.replay_sql.empty() ? std::string(protocol::as_view(j.cmd.payload).substr(1)) : st.replay_sql;
        for (std::size_t i = 0; i < slots_.size(); ++i)
            if (i != j.backend && slots_[i].conn && !slots_[i].fresh) slots_[i].missed.push_back(sql);
    }
    switch (j.command.id()) {
        case protocol::CommandByte::stmt_prepare:
            if (const auto& ok = t.prepare_ok()) {
                std::string sql(protocol::as_view(j.cmd.payload).substr(1));
                Prepared p;
                p.st = classified(sql, router_.lexer_options);
                p.sql = std::move(sql);
                p.params = ok->params;
                p.last_backend = j.backend;
                prepared_[j.client_stmt] = std::move(p);
                slots_[j.backend].statements[j.client_stmt] = ok->statement_id;
                last_prepared_ = j.client_stmt;
            }
            break;
        case protocol::CommandByte::reset_connection:
            // A fresh session on this connection; the others still carry the old one: give them back.
            for (std::size_t i = 0; i < slots_.size(); ++i) {
                if (i == j.backend || !slots_[i].conn) continue;
                worker_.pool().release(std::move(slots_[i].conn));
                slots_[i] = Slot{};
            }
            router_ = router::SessionState();
            router_.database = database_;
            prepared_.clear();
            slots_[j.backend].statements.clear();
            slots_[j.backend].types_sent.clear();
            break;
        default: break;
    }
}

void ClientSession::on_backend_ready(BackendConn& b) {
    if (state_ == State::connecting_backend) {
        publish_backend(b.thread_id(), slot_of(b));
        on_login_done();
        return;
    }
    advance();
}

void ClientSession::on_backend_error(BackendConn& b, const protocol::ErrPacket& err) {
    std::size_t index = slot_of(b);
    // A lost or unreachable backend is the operator's business; a refused login (1049, 1045) the client's.
    bool connection_failed =
        err.code == protocol::er::kLostConnection.code || err.code == protocol::er::kBackendUnavailable.code;
    log(Component::proxy)
        .log(connection_failed ? spdlog::level::warn : spdlog::level::info, "{}{}", ctx(id_, b.name()),
             err.message);
    bool was_internal = internal_ && internal_->backend == index;
    if (was_internal) internal_.reset();
    lose_slot(index, err.message);
    if (state_ == State::connecting_backend) {
        send_err(err, next_seq_, true);  // e.g. 1049 Unknown database: the login fails as on the server
        return;
    }
    if (!job_ || job_->backend != index) return;  // an idle connection: the next command opens a new one
    Job& j = *job_;
    count_outstanding(j, false);
    if (j.sent && !may_retry(j)) {
        protocol::ErrPacket told = err;
        if (err.code == protocol::er::kLostConnection.code) told.message = err.message + " during query";
        tracker_.reset();
        fail_job(told);
        return;
    }
    if (j.sent) {
        log(Component::router).info("{}running the read again elsewhere", ctx(id_, b.name()));
        Counters::add(worker_.counters().read_retries);
        ++j.retries;
        j.retry_error = std::make_unique<protocol::ErrPacket>(err);
        if (err.code == protocol::er::kLostConnection.code) j.retry_error->message += " during query";
        tracker_.reset();
    }
    // Not sent yet (or a read to repeat): route again without that backend. What needs the primary waits for
    // a new one up to failover_hold_timeout; anything else that cannot go elsewhere fails with `err`.
    j.sent = false;
    j.routed = false;
    j.gtid_known = false;
    if (index != worker_.primary_index()) j.exclude(index);
    if (!connection_failed) {
        fail_job(err);
        return;
    }
    advance();
}

}  // namespace sluice::proxy
