#include "proxy/admin_session.hpp"

#include <fmt/format.h>
#include <pthread.h>

#include <exception>
#include <thread>

#include "protocol/auth/native_password.hpp"
#include "protocol/auth_switch.hpp"
#include "protocol/command.hpp"
#include "protocol/handshake.hpp"
#include "protocol/handshake_response.hpp"
#include "protocol/message.hpp"
#include "protocol/ok_packet.hpp"
#include "protocol/result_set.hpp"
#include "protocol/server_status.hpp"
#include "proxy/log.hpp"
#include "proxy/login_common.hpp"

namespace sluice::proxy {

namespace {

namespace cap = protocol::cap;

// What the console offers: the basics every client needs, CLIENT_DEPRECATE_EOF honoured by the result-set
// writer. No TLS, compression, LOCAL INFILE or multi-statements. CLIENT_SESSION_TRACK is offered (no state is
// ever tracked) because it makes the OK's info string length-encoded: Connector/C reads it that way whatever
// was negotiated, and took the string-to-end-of-packet form for a malformed packet (2027).
constexpr protocol::Capabilities kAdminCaps =
    cap::kLongPassword | cap::kFoundRows | cap::kLongFlag | cap::kConnectWithDb | cap::kProtocol41 |
    cap::kInteractive | cap::kIgnoreSigpipe | cap::kTransactions | cap::kSecureConnection |
    cap::kMultiResults | cap::kPluginAuth | cap::kConnectAttrs | cap::kPluginAuthLenencClientData |
    cap::kSessionTrack | cap::kDeprecateEof;

constexpr std::size_t kLoginMaxPayload = 64 * 1024;
constexpr std::size_t kCommandMaxPayload = 1024 * 1024;  // admin statements are short
constexpr std::uint64_t kTickMs = 500;

protocol::ColumnDefinition column_of(const admin::Column& c) {
    auto def = protocol::ColumnDefinition::text(c.name);
    if (c.numeric) {
        def.type = protocol::ColumnType::longlong;
        def.charset = protocol::kCharsetBinary;
        def.column_length = 20;
        def.flags = protocol::column_flag::kUnsigned;
    }
    return def;
}

auto& alog() {
    return log(Component::admin);
}

}  // namespace

// ---- AdminSession ----

AdminSession::AdminSession(AdminConsole& console, std::uint32_t id)
    : console_(console), id_(id), framer_(kLoginMaxPayload) {}

bool AdminSession::start(uv_stream_t* server) {
    client_ = new Connection(console_.loop(), console_.chunks(), this);
    if (client_->accept(server) != 0) {
        client_->close();
        client_ = nullptr;
        return false;
    }
    client_ip_ = client_->peer_ip();
    deadline_ = std::chrono::steady_clock::now() + console_.config()->limits.handshake_timeout;
    send_greeting();
    client_->start_reading();
    return true;
}

void AdminSession::move_to(State next) {
    alog().trace("{}admin state {} -> {}", ctx(id_), static_cast<int>(state_), static_cast<int>(next));
    state_ = next;
}

void AdminSession::end(std::string_view why) {
    if (state_ == State::closed) return;
    // A connection that closes without a word is a port check (the test harness, a load balancer): trace
    // only.
    alog().log(heard_ ? spdlog::level::debug : spdlog::level::trace, "{}admin session from {} closed: {}",
               ctx(id_), client_ip_, why);
    move_to(State::closed);
    if (client_) client_->close(true);
    client_ = nullptr;
    console_.ended(*this);
}

void AdminSession::check_deadline(std::chrono::steady_clock::time_point now) {
    if (deadline_ != std::chrono::steady_clock::time_point{} && now >= deadline_) {
        alog().info("{}admin login from {} timed out", ctx(id_), client_ip_);
        end("handshake timeout");
    }
}

void AdminSession::send_greeting() {
    seed_ = make_seed();
    Greeting hs{console_.context().version + "-sluice-admin", id_, seed_, kAdminCaps,
                static_cast<std::uint8_t>(protocol::kCharsetUtf8mb4GeneralCi)};
    std::vector<std::uint8_t> out;
    next_seq_ = append_greeting(out, hs);
    caps_ = kAdminCaps;
    client_->write(std::move(out));
}

void AdminSession::on_read(Connection&, const ChunkRef&, std::string_view data) {
    heard_ = true;
    framer_.feed(data);
    process();
}

void AdminSession::process() {
    while (state_ != State::closed && state_ != State::running) {
        bool login = state_ == State::greeting_sent || state_ == State::auth_switch_sent;
        framer_.expect_sequence(login ? next_seq_ : 0);
        auto next = framer_.next();
        if (!next) {
            alog().info("{}admin client {}: {}; closing", ctx(id_), client_ip_,
                        protocol::to_string(next.error()));
            end("malformed or oversized packet");
            return;
        }
        if (!next->has_value()) return;
        const protocol::Frame& f = **next;
        if (state_ == State::greeting_sent) {
            next_seq_ = static_cast<std::uint8_t>(f.last_seq + 1);
            on_handshake_response(f.payload);
        } else if (state_ == State::auth_switch_sent) {
            next_seq_ = static_cast<std::uint8_t>(f.last_seq + 1);
            auth_response_ = std::string(f.payload);
            authenticate();
        } else {
            on_command(f.payload);
        }
    }
}

void AdminSession::on_handshake_response(std::string_view payload) {
    if (protocol::is_ssl_request(payload)) {
        send_err(protocol::ErrPacket::make(protocol::er::kHandshakeError,
                                           "Bad handshake: the Sluice admin console does not offer TLS"),
                 next_seq_, true);
        return;
    }
    protocol::ByteReader r(payload);
    auto resp = protocol::HandshakeResponse41::parse(r, caps_);
    if (!resp) {
        send_err(protocol::ErrPacket::make(protocol::er::kHandshakeError, "Bad handshake"), next_seq_, true);
        return;
    }
    caps_ = resp->capabilities & caps_;
    user_ = resp->username;
    auth_response_ = resp->auth_response;
    if (needs_native_switch(*resp)) {
        std::vector<std::uint8_t> out;
        next_seq_ = append_native_switch(out, next_seq_, seed_, caps_);
        client_->write(std::move(out));
        move_to(State::auth_switch_sent);
        return;
    }
    authenticate();
}

void AdminSession::authenticate() {
    auto config = console_.config();
    const AdminConfig& admin = config->admin;
    bool ok = user_ == admin.user &&
              (admin.password.empty()
                   ? auth_response_.empty()
                   : protocol::auth::native_verify(auth_response_, seed_,
                                                   protocol::auth::native_stored_hash(admin.password)));
    if (!ok) {
        std::string denied = fmt::format("Access denied for user '{}'@'{}' (using password: {})", user_,
                                         client_ip_, auth_response_.empty() ? "NO" : "YES");
        alog().info("{}admin console: {}", ctx(id_), denied);
        send_err(protocol::ErrPacket::make(protocol::er::kAccessDenied, denied), next_seq_, true);
        return;
    }
    deadline_ = {};
    framer_ = protocol::PacketFramer(kCommandMaxPayload);
    send_ok(next_seq_);
    move_to(State::idle);
    alog().info("{}admin '{}' logged in from {}", ctx(id_), user_, client_ip_);
}

void AdminSession::on_command(std::string_view payload) {
    auto cmd = protocol::command_of(payload);
    if (!cmd) {
        end("empty command packet");
        return;
    }
    switch (cmd->id()) {
        case protocol::CommandByte::quit: end("COM_QUIT"); return;
        case protocol::CommandByte::ping:
        case protocol::CommandByte::init_db: send_ok(1); return;
        case protocol::CommandByte::query: {
            std::string_view sql = payload.substr(1);
            alog().debug("{}admin: {}", ctx(id_), sql);
            answer(admin::dispatch(console_.context(), sql), 1);
            return;
        }
        default: send_err(protocol::unknown_command_error(), 1); return;
    }
}

void AdminSession::answer(admin::Reply reply, std::uint8_t seq) {
    if (auto* table = std::get_if<admin::Table>(&reply)) {
        std::vector<protocol::ColumnDefinition> columns;
        for (const auto& c : table->columns) columns.push_back(column_of(c));
        std::vector<std::uint8_t> out;
        protocol::append_text_result_set(out, seq, columns, table->rows, caps_,
                                         protocol::status::kAutocommit);
        client_->write(std::move(out));
    } else if (auto* ok = std::get_if<admin::Ok>(&reply)) {
        send_ok(seq, ok->info);
    } else if (auto* err = std::get_if<protocol::ErrPacket>(&reply)) {
        alog().info("{}admin '{}' from {}: ERR {} ({}) {}", ctx(id_), user_, client_ip_, err->code,
                    err->sql_state, err->message);
        send_err(*err, seq);
    } else {
        auto& op = std::get<admin::Operation>(reply);
        alog().info("{}admin '{}' from {}: {}", ctx(id_), user_, client_ip_, op.what);
        move_to(State::running);
        console_.run(std::move(op), id_, seq);
    }
}

void AdminSession::on_operation_done(const health::OperationResult& r, std::uint8_t seq) {
    if (state_ != State::running) return;
    move_to(State::idle);
    if (r.ok)
        send_ok(seq, r.message);
    else
        send_err(protocol::ErrPacket::make(protocol::er::kUnknownError, r.message), seq);
    process();  // commands that arrived meanwhile
}

void AdminSession::send_ok(std::uint8_t seq, std::string info) {
    protocol::OkPacket ok;
    ok.status_flags = protocol::status::kAutocommit;
    ok.info = std::move(info);
    std::vector<std::uint8_t> out;
    protocol::append_message(out, seq, ok, caps_);
    client_->write(std::move(out));
}

void AdminSession::send_err(const protocol::ErrPacket& err, std::uint8_t seq, bool then_close) {
    client_->write(protocol::framed_err(err, seq, caps_));
    if (then_close) end(err.message);
}

void AdminSession::on_read_error(Connection&, int status) {
    end(status == UV_EOF ? "client closed the connection" : uv_strerror(status));
}

void AdminSession::on_write_error(Connection&, int status) {
    end(uv_strerror(status));
}

// ---- AdminConsole ----

struct AdminConsole::Running {
    uv_async_t async{};
    std::thread thread;
    AdminConsole* console = nullptr;
    std::uint32_t session = 0;
    std::uint8_t seq = 0;
    std::string what;
    health::OperationResult result;
};

AdminConsole::AdminConsole(uv_loop_t* loop, admin::Context context)
    : loop_(loop), context_(std::move(context)) {
    uv_timer_init(loop_, &timer_);
    timer_.data = this;
    uv_timer_start(&timer_, on_tick, kTickMs, kTickMs);
    uv_unref(reinterpret_cast<uv_handle_t*>(&timer_));
}

AdminConsole::~AdminConsole() = default;

void AdminConsole::accept(uv_stream_t* server) {
    std::uint32_t id = next_id_++;
    auto s = std::make_unique<AdminSession>(*this, id);
    if (closed_ || !s->start(server)) {
        if (!closed_) alog().error("admin accept failed");
        return;  // a session whose start failed has released its connection
    }
    sessions_.emplace(id, std::move(s));
}

void AdminConsole::ended(AdminSession& s) {
    auto it = sessions_.find(s.id());
    if (it == sessions_.end()) return;
    dead_.push_back(std::move(it->second));
    sessions_.erase(it);
}

void AdminConsole::reap() {
    dead_.clear();
}

void AdminConsole::on_tick(uv_timer_t* h) {
    auto* self = static_cast<AdminConsole*>(h->data);
    auto now = std::chrono::steady_clock::now();
    std::vector<AdminSession*> all;
    for (auto& [id, s] : self->sessions_) all.push_back(s.get());
    for (AdminSession* s : all) s->check_deadline(now);  // may end (and move) sessions
    self->reap();
}

void AdminConsole::close_all() {
    if (closed_) return;
    closed_ = true;
    while (!sessions_.empty()) sessions_.begin()->second->end("shutting down");
    reap();
    uv_close(reinterpret_cast<uv_handle_t*>(&timer_), nullptr);
}

void AdminConsole::run(admin::Operation op, std::uint32_t id, std::uint8_t seq) {
    auto* r = new Running;
    r->console = this;
    r->session = id;
    r->seq = seq;
    r->what = op.what;
    uv_async_init(loop_, &r->async, on_done);
    r->async.data = r;
    r->thread = std::thread([r, run = std::move(op.run)] {
        pthread_setname_np(pthread_self(), "sluice-admin-op");
        try {
            r->result = run();
        } catch (const std::exception& e) {
            r->result = {false, e.what(), 0};
        }
        uv_async_send(&r->async);
    });
}

void AdminConsole::on_done(uv_async_t* h) {
    auto* r = static_cast<Running*>(h->data);
    r->thread.join();  // it has sent: only its return is left
    alog().info("admin {}: {}{}", r->what, r->result.ok ? "ok" : "failed",
                r->result.message.empty() ? "" : ": " + r->result.message);
    AdminConsole* self = r->console;
    if (auto it = self->sessions_.find(r->session); it != self->sessions_.end())
        it->second->on_operation_done(r->result, r->seq);
    uv_close(reinterpret_cast<uv_handle_t*>(h),
             [](uv_handle_t* handle) { delete static_cast<Running*>(handle->data); });
}

}  // namespace sluice::proxy
