#pragma once
// A connection to one backend: connect, read the greeting, log in on a client's behalf (native password from
// the recovered SHA1 or a configured password), then carry one client's commands. Whoever holds it (a session
// or the pool) is its listener and hears about data and failures.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "protocol/auth/digest.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/connect_attrs.hpp"
#include "protocol/err_packet.hpp"
#include "protocol/packet_framer.hpp"
#include "proxy/backend_gate.hpp"
#include "proxy/connection.hpp"
#include "proxy/pool_stats.hpp"
#include "proxy/runtime.hpp"

namespace sluice::proxy {

// How to log in. The secret is the SHA1 of the password recovered from the client's scramble (accounts read
// from the backends) or a plain password (accounts from the config).
struct BackendLogin {
    std::string user;
    std::variant<protocol::auth::Sha1Digest, std::string> secret;
    std::string database;
    protocol::Capabilities capabilities = 0;  // exactly what the client negotiated with Sluice
    std::uint8_t charset = 45;
    std::uint32_t max_packet = 0;
    protocol::ConnectAttributes attributes;
};

class BackendConn;

class BackendListener {
  public:
    virtual ~BackendListener() = default;
    virtual void on_backend_ready(BackendConn& b) = 0;
    // Login refused, connection lost or failed; `err` is what a client should be told.
    virtual void on_backend_error(BackendConn& b, const protocol::ErrPacket& err) = 0;
    // Bytes from the backend once it is ready.
    virtual void on_backend_data(BackendConn& b, const ChunkRef& chunk, std::string_view data) = 0;
};

class BackendConn final : public ConnectionHandler {
  public:
    enum class State : std::uint8_t { connecting, greeting, authenticating, ready, failed };

    // `gate` holds the slot this connection uses; it is given back when the connection goes.
    BackendConn(uv_loop_t* loop, ChunkPool& chunks, std::size_t backend_index, const BackendAddress& backend,
                BackendGate& gate, BackendLogin login, BackendListener* listener,
                std::chrono::milliseconds timeout);
    ~BackendConn() override;  // closes the socket, gives the slot back
    BackendConn(const BackendConn&) = delete;
    BackendConn& operator=(const BackendConn&) = delete;

    void start();
    // Counts this new connection in its worker's pool statistics (opened, and open for as long as it lives).
    void count_in(BackendUse& use);
    void set_listener(BackendListener* l) { listener_ = l; }
    Connection& conn() { return *conn_; }
    State state() const { return state_; }
    std::size_t backend_index() const { return index_; }
    const std::string& name() const { return backend_.spec.name; }
    const BackendLogin& login() const { return login_; }
    std::uint32_t thread_id() const { return thread_id_; }
    // Called by the worker's clock: fails the login if it has not finished in time.
    void check_deadline(std::chrono::steady_clock::time_point now);

    void on_read(Connection& c, const ChunkRef& chunk, std::string_view data) override;
    void on_read_error(Connection& c, int status) override;
    void on_write_error(Connection& c, int status) override;
    void on_connected(Connection& c, int status) override;

  private:
    void on_login_payload(std::string_view payload, std::uint8_t seq);
    void on_greeting(std::string_view payload);
    void on_auth_reply(std::string_view payload, std::uint8_t seq);
    std::string scramble(std::string_view seed) const;
    void fail(protocol::ErrPacket err);
    void send(std::uint8_t seq, const std::vector<std::uint8_t>& payload);

    std::size_t index_;
    const BackendAddress& backend_;
    BackendGate& gate_;
    BackendLogin login_;
    BackendListener* listener_;
    Connection* conn_;
    State state_ = State::connecting;
    protocol::PacketFramer framer_;
    std::chrono::steady_clock::time_point deadline_;
    std::uint32_t thread_id_ = 0;
    BackendUse* use_ = nullptr;
};

}  // namespace sluice::proxy
