#include "proxy/backend_conn.hpp"

#include <fmt/format.h>

#include "protocol/auth/native_password.hpp"
#include "protocol/auth_switch.hpp"
#include "protocol/handshake.hpp"
#include "protocol/handshake_response.hpp"
#include "protocol/inspect.hpp"
#include "protocol/message.hpp"
#include "protocol/ok_packet.hpp"
#include "proxy/log.hpp"

namespace sluice::proxy {

namespace {

constexpr std::size_t kLoginMaxPayload = 1 << 20;

protocol::ErrPacket lost(const std::string& name, std::string_view why) {
    return protocol::ErrPacket::make(protocol::er::kLostConnection,
                                     fmt::format("Lost connection to backend '{}': {}", name, why));
}

}  // namespace

BackendConn::BackendConn(uv_loop_t* loop, ChunkPool& chunks, std::size_t backend_index,
                         const BackendAddress& backend, BackendGate& gate, BackendLogin login,
                         BackendListener* listener, std::chrono::milliseconds timeout)
    : index_(backend_index),
      backend_(backend),
      gate_(gate),
      login_(std::move(login)),
      listener_(listener),
      conn_(new Connection(loop, chunks, this)),
      framer_(kLoginMaxPayload),
      deadline_(std::chrono::steady_clock::now() + timeout) {}

BackendConn::~BackendConn() {
    conn_->close();
    gate_.release();
    if (use_) BackendUse::down(use_->open);
}

void BackendConn::count_in(BackendUse& use) {
    if (use_) return;
    use_ = &use;
    BackendUse::up(use.open);
    use.opened.fetch_add(1, std::memory_order_relaxed);
}

void BackendConn::start() {
    int rc = conn_->connect(reinterpret_cast<const sockaddr*>(&backend_.addr));
    if (rc != 0) on_connected(*conn_, rc);
}

void BackendConn::check_deadline(std::chrono::steady_clock::time_point now) {
    if (state_ == State::ready || state_ == State::failed || now < deadline_) return;
    gate_.connect_failed(now);  // connected or not, a server that does not log us in in time counts as down
    fail(protocol::ErrPacket::make(protocol::er::kBackendUnavailable,
                                   fmt::format("Can't connect to backend '{}' ({}:{}): timed out", name(),
                                               backend_.spec.host, backend_.spec.port)));
}

void BackendConn::on_connected(Connection&, int status) {
    if (status != 0) {
        gate_.connect_failed(std::chrono::steady_clock::now());
        fail(protocol::ErrPacket::make(
            protocol::er::kBackendUnavailable,
            fmt::format("Can't connect to backend '{}' ({}:{}): {}", name(), backend_.spec.host,
                        backend_.spec.port, uv_strerror(status))));
        return;
    }
    state_ = State::greeting;
    gate_.connect_succeeded();
    conn_->start_reading();
}

void BackendConn::on_read(Connection&, const ChunkRef& chunk, std::string_view data) {
    if (state_ == State::ready) {
        if (listener_) listener_->on_backend_data(*this, chunk, data);
        return;
    }
    framer_.feed(data);
    while (state_ == State::greeting || state_ == State::authenticating) {
        auto next = framer_.next();
        if (!next) {
            fail(lost(name(),
                      fmt::format("malformed packet during login ({})", protocol::to_string(next.error()))));
            return;
        }
        if (!next->has_value()) return;
        const protocol::Frame& f = **next;
        on_login_payload(f.payload, f.last_seq);
    }
}

void BackendConn::on_login_payload(std::string_view payload, std::uint8_t seq) {
    if (protocol::is_err(payload)) {
        protocol::ByteReader r(payload);
        auto err = protocol::ErrPacket::parse(r, state_ == State::greeting ? 0 : login_.capabilities);
        fail(err ? *err : lost(name(), "unreadable error during login"));
        return;
    }
    if (state_ == State::greeting)
        on_greeting(payload);
    else
        on_auth_reply(payload, seq);
}

std::string BackendConn::scramble(std::string_view seed) const {
    if (const auto* stage1 = std::get_if<protocol::auth::Sha1Digest>(&login_.secret))
        return protocol::auth::native_scramble_from_stage1(*stage1, seed.substr(0, protocol::kScrambleSize));
    return protocol::auth::native_scramble(std::get<std::string>(login_.secret),
                                           seed.substr(0, protocol::kScrambleSize));
}

void BackendConn::on_greeting(std::string_view payload) {
    protocol::ByteReader r(payload);
    auto hs = protocol::HandshakeV10::parse(r);
    if (!hs) {
        fail(lost(name(), "unreadable greeting"));
        return;
    }
    thread_id_ = hs->connection_id;
    protocol::Capabilities missing = login_.capabilities & ~hs->capabilities;
    if (missing & ~protocol::cap::kConnectWithDb) {
        // The client negotiated with Sluice what this backend cannot do: the bytes would not match.
        log(Component::proxy)
            .warn("{}backend lacks capabilities {:#x} the client negotiated", ctx(0, name()), missing);
    }
    protocol::HandshakeResponse41 resp;
    resp.capabilities = (login_.capabilities & hs->capabilities) | protocol::cap::kPluginAuth;
    if (!login_.database.empty())
        resp.capabilities |= protocol::cap::kConnectWithDb;
    else
        resp.capabilities &= ~protocol::cap::kConnectWithDb;
    resp.max_packet_size = login_.max_packet;
    resp.charset = login_.charset;
    resp.username = login_.user;
    resp.auth_response = scramble(hs->auth_plugin_data);
    resp.database = login_.database;
    resp.auth_plugin_name = std::string(protocol::auth::kNativePasswordPlugin);
    resp.attributes = login_.attributes;
    state_ = State::authenticating;
    send(1, protocol::encode(resp, resp.capabilities));
}

void BackendConn::on_auth_reply(std::string_view payload, std::uint8_t seq) {
    auto first = protocol::first_byte(payload);
    if (first == protocol::kOkHeader) {
        state_ = State::ready;
        framer_ = protocol::PacketFramer(kLoginMaxPayload);  // release the login buffer
        if (listener_) listener_->on_backend_ready(*this);
        return;
    }
    if (first == protocol::kAuthSwitchHeader) {
        protocol::ByteReader r(payload);
        auto sw = protocol::AuthSwitchRequest::parse(r);
        if (!sw || sw->plugin_name != protocol::auth::kNativePasswordPlugin) {
            fail(protocol::ErrPacket::make(
                protocol::er::kAccessDenied,
                fmt::format("Backend '{}' asks for authentication plugin '{}', which Sluice cannot use",
                            name(), sw ? sw->plugin_name : std::string("?"))));
            return;
        }
        std::string answer = scramble(sw->seed());
        send(static_cast<std::uint8_t>(seq + 1), std::vector<std::uint8_t>(answer.begin(), answer.end()));
        return;
    }
    fail(lost(name(), fmt::format("unexpected packet {:#04x} during login", first.value_or(0))));
}

void BackendConn::send(std::uint8_t seq, const std::vector<std::uint8_t>& payload) {
    std::vector<std::uint8_t> out;
    std::uint8_t next = protocol::append_packets(out, seq, protocol::as_view(payload));
    framer_.expect_sequence(next);
    conn_->write(std::move(out));
}

void BackendConn::fail(protocol::ErrPacket err) {
    if (state_ == State::failed) return;
    state_ = State::failed;
    conn_->stop_reading();
    log(Component::proxy).debug("{}backend connection failed: {} {}", ctx(0, name()), err.code, err.message);
    if (listener_) listener_->on_backend_error(*this, err);
}

void BackendConn::on_read_error(Connection&, int status) {
    fail(lost(name(), status == UV_EOF ? "the backend closed the connection" : uv_strerror(status)));
}

void BackendConn::on_write_error(Connection&, int status) {
    fail(lost(name(), uv_strerror(status)));
}

}  // namespace sluice::proxy
