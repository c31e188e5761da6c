// ClientSession, connection phase: greeting, authentication of the client, backend login on its behalf.

#include <fmt/format.h>

#include "protocol/auth/native_password.hpp"
#include "protocol/auth_switch.hpp"
#include "protocol/handshake.hpp"
#include "protocol/handshake_response.hpp"
#include "protocol/inspect.hpp"
#include "protocol/message.hpp"
#include "protocol/ok_packet.hpp"
#include "protocol/server_status.hpp"
#include "proxy/account_store.hpp"
#include "proxy/accounts.hpp"
#include "proxy/client_session.hpp"
#include "proxy/log.hpp"
#include "proxy/login_common.hpp"
#include "proxy/worker.hpp"

namespace sluice::proxy {

namespace {

namespace cap = protocol::cap;

// What Sluice can relay unchanged. Not SSL or compression (yet), not the MariaDB extensions that change
// result-set layouts (cached metadata) or add commands the tracker does not follow (bulk execution).
constexpr protocol::Capabilities kRelayable =
    cap::kLongPassword | cap::kFoundRows | cap::kLongFlag | cap::kConnectWithDb | cap::kNoSchema |
    cap::kOdbc | cap::kLocalFiles | cap::kIgnoreSpace | cap::kProtocol41 | cap::kInteractive |
    cap::kIgnoreSigpipe | cap::kTransactions | cap::kReserved | cap::kSecureConnection |
    cap::kMultiStatements | cap::kMultiResults | cap::kPsMultiResults | cap::kPluginAuth |
    cap::kConnectAttrs | cap::kPluginAuthLenencClientData | cap::kSessionTrack | cap::kDeprecateEof |
    cap::kMariaDbProgress;

constexpr std::size_t kLoginMaxPayload = 64 * 1024;

}  // namespace

bool ClientSession::start(uv_stream_t* server) {
    client_ = new Connection(server->loop, worker_.chunks(), this, server->type);
    if (client_->accept(server) != 0) return false;
    client_ip_ = client_->peer_ip();
    deadline_ = std::chrono::steady_clock::now() + worker_.limits().handshake_timeout;
    send_greeting();
    client_->start_reading();
    return true;
}

void ClientSession::send_greeting() {
    ServerGreeting g = worker_.runtime().greeting();
    seed_ = make_seed();
    Greeting hs{g.version, id_, seed_,
                g.capabilities ? (g.capabilities & kRelayable) : (kRelayable & ~cap::kLongPassword),
                g.charset};
    std::vector<std::uint8_t> out;
    next_seq_ = append_greeting(out, hs);
    caps_ = hs.capabilities;  // until the client answers: what we offered
    client_->write(std::move(out));
}

void ClientSession::on_login_payload(std::string_view payload, std::uint8_t seq) {
    next_seq_ = static_cast<std::uint8_t>(seq + 1);
    if (state_ == State::greeting_sent) {
        on_handshake_response(payload);
    } else if (state_ == State::auth_switch_sent) {
        auth_response_ = std::string(payload);
        authenticate();
    } else {
        end("unexpected packet during login");
    }
}

void ClientSession::on_handshake_response(std::string_view payload) {
    if (protocol::is_ssl_request(payload)) {
        send_err(protocol::ErrPacket::make(protocol::er::kHandshakeError,
                                           "Bad handshake: Sluice does not offer TLS yet"),
                 next_seq_, true);
        return;
    }
    protocol::ByteReader r(payload);
    auto resp = protocol::HandshakeResponse41::parse(r, caps_);
    if (!resp) {
        log(Component::proxy)
            .info("{}bad handshake from {}: {}", ctx(id_), client_ip_, protocol::to_string(resp.error()));
        send_err(protocol::ErrPacket::make(protocol::er::kHandshakeError, "Bad handshake"), next_seq_, true);
        return;
    }
    caps_ = resp->capabilities & caps_;
    charset_ = resp->charset;
    max_packet_ = resp->max_packet_size;
    user_ = resp->username;
    database_ = resp->database;
    attributes_ = std::move(resp->attributes);
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

void ClientSession::authenticate() {
    auto accounts = worker_.runtime().accounts.current();
    const Account* account = accounts->match(user_, client_ip_);
    bool ok = account && verify(*account);
    if (!ok && !refresh_asked_ && worker_.runtime().config.users.fetch_from_backends) {
        // The account may be new, or its password changed, since the last read: ask for a re-read (rate
        // limited by the store) and decide when it is done.
        refresh_asked_ = true;
        move_to(State::waiting_accounts);
        worker_.runtime().accounts.request_refresh();
        return;
    }
    if (ok) {
        move_to(State::connecting_backend);
        connect_backend();
        return;
    }
    if (account && account->locked) {
        log(Component::proxy).info("{}account {} is locked", ctx(id_), account_name(*account));
        send_err(
            protocol::ErrPacket::make(protocol::er::kAccountLocked, "Access denied, this account is locked"),
            next_seq_, true);
        return;
    }
    std::string denied = fmt::format("Access denied for user '{}'@'{}' (using password: {})", user_,
                                     client_ip_, auth_response_.empty() ? "NO" : "YES");
    log(Component::proxy).info("{}{} ({})", ctx(id_), denied, account ? "wrong password" : "no such account");
    Counters::add(worker_.counters().logins_failed);
    send_err(protocol::ErrPacket::make(protocol::er::kAccessDenied, denied), next_seq_, true);
}

bool ClientSession::verify(const Account& account) {
    if (account.locked) return false;
    if (account.plugin != AuthPlugin::native_password) {
        log(Component::proxy)
            .warn("{}account {} uses the {} plugin, which Sluice cannot proxy", ctx(id_),
                  account_name(account), account.plugin_name);
        return false;
    }
    BackendLogin login;
    login.database = database_;
    login.capabilities = caps_;
    login.charset = charset_;
    login.max_packet = max_packet_;
    if (!account.stored_hash) {
        if (!auth_response_.empty()) return false;
        login.secret = std::string();
    } else {
        auto stage1 = protocol::auth::native_recover_stage1(auth_response_, seed_, *account.stored_hash);
        if (!stage1) return false;
        login.secret = *stage1;
    }
    if (account.from_config) {
        login.user = account.backend_user;
        login.secret = account.backend_password;
    } else {
        login.user = user_;
    }
    login.attributes = std::move(attributes_);  // needed no more: a failed verify returned before this
    backend_login_ = std::move(login);
    return true;
}

void ClientSession::on_accounts_refreshed() {
    if (state_ == State::waiting_accounts) authenticate();
}

void ClientSession::connect_backend() {
    login_backend_ = worker_.primary_index();
    router_.database = database_;
    if (!open_slot(login_backend_)) return;  // it told the client why
    BackendConn& b = *slots_[login_backend_].conn;
    if (b.state() == BackendConn::State::ready) on_backend_ready(b);  // from the pool
}

void ClientSession::on_login_done() {
    deadline_ = {};
    // The login's payload limit gives way to the one for commands (not after COM_CHANGE_USER).
    if (!logged_in_) {
        framer_.set_max_payload(worker_.limits().max_packet_size);
        framer_.expect_sequence(0);  // the first command's
        logged_in_ = true;
    }
    send_ok(next_seq_);
    move_to(State::idle);
    probe_.logged_in(worker_, id_, client_ip_, user_, database_, backend_name(login_backend_));
    if (log(Component::proxy).should_log(spdlog::level::debug))
        log(Component::proxy)
            .debug("{}logged in as '{}' from {}{}", ctx(id_, backend_name(login_backend_)), user_, client_ip_,
                   database_.empty() ? "" : fmt::format(", database '{}'", database_));
}

void ClientSession::send_ok(std::uint8_t seq) {
    protocol::OkPacket ok;
    ok.status_flags = protocol::status::kAutocommit;
    std::vector<std::uint8_t> out;
    protocol::append_message(out, seq, ok, caps_);
    client_->write(std::move(out));
}

}  // namespace sluice::proxy
