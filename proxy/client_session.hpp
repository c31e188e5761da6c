#pragma once
// One client: Sluice's greeting, the client's authentication against the account store, the backend login on
// its behalf, then every command relayed to the backend and every response streamed back packet by packet.
//
//   greeting_sent -> [auth_switch_sent] -> [waiting_accounts] -> connecting_backend -> idle <-> forwarding
//   any state -> closed (one place: end())

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/auth/digest.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/connect_attrs.hpp"
#include "protocol/packet_framer.hpp"
#include "protocol/response_tracker.hpp"
#include "proxy/backend_conn.hpp"
#include "proxy/connection.hpp"
#include "proxy/statement_probe.hpp"

namespace sluice::proxy {

class Worker;
struct Account;

class ClientSession final : public ConnectionHandler, public BackendListener {
  public:
    enum class State : std::uint8_t {
        greeting_sent,       // waiting for the HandshakeResponse
        auth_switch_sent,    // asked the client for a mysql_native_password answer
        waiting_accounts,    // the user is unknown: waiting for the account store to re-read the backends
        connecting_backend,  // the client is authenticated; logging in to the backend for it
        idle,                // between commands
        forwarding,          // a command is at the backend; its response streams to the client
        closed,
    };

    ClientSession(Worker& worker, std::uint32_t id);
    ~ClientSession() override;
    ClientSession(const ClientSession&) = delete;
    ClientSession& operator=(const ClientSession&) = delete;

    // Accepts the pending connection on `server` and greets it; false when the accept failed.
    bool start(uv_stream_t* server);
    std::uint32_t id() const { return id_; }
    State state() const { return state_; }
    // Called by the worker's clock for timeouts.
    void check_deadline(std::chrono::steady_clock::time_point now);
    void on_accounts_refreshed();
    void on_topology_changed() { retry_held(); }
    // RESUME on the admin port: the command held by PAUSE runs (session_pause.cpp).
    void resume_paused();
    // Graceful shutdown: idle sessions close now; busy ones when their response ends.
    void drain();
    // Immediate close with a reason for the log.
    void end(std::string_view why);

    // ConnectionHandler (the client socket)
    void on_read(Connection& c, const ChunkRef& chunk, std::string_view data) override;
    void on_read_error(Connection& c, int status) override;
    void on_write_error(Connection& c, int status) override;
    void on_drained(Connection& c) override;
    // BackendListener
    void on_backend_ready(BackendConn& b) override;
    void on_backend_error(BackendConn& b, const protocol::ErrPacket& err) override;
    void on_backend_data(BackendConn& b, const ChunkRef& chunk, std::string_view data) override;

  private:
    struct PendingCommand {
        std::vector<std::uint8_t> payload;
        std::uint8_t first_seq = 0;
        std::uint8_t last_seq = 0;
    };

    void move_to(State next);
    void send_greeting();
    void on_login_payload(std::string_view payload, std::uint8_t seq);
    void on_handshake_response(std::string_view payload);
    void authenticate();
    bool verify(const Account& account);
    void connect_backend();                                  // from the pool, or a new connection
    void open_backend();                                     // a new connection
    void on_backend_failed(const protocol::ErrPacket& err);  // no backend for the login or the command
    void on_login_done();

    void on_client_payload(std::string_view payload, std::uint8_t first_seq, std::uint8_t last_seq);
    void run_command(PendingCommand cmd);
    void forward(const PendingCommand& cmd);
    bool intercept_kill(const PendingCommand& cmd);  // true when it handled the command
    void change_user(const PendingCommand& cmd);
    void retry_held();  // a command held for a backend: go on if there is one now
    void on_response_complete();
    void on_backend_lost(const protocol::ErrPacket& err);
    void run_pending();
    void hold_paused(PendingCommand cmd);  // PAUSE on the admin port (session_pause.cpp)

    bool in_local_infile() const {
        return state_ == State::forwarding && tracker_ &&
               tracker_->status() == protocol::TrackerStatus::need_client;
    }
    void send_err(const protocol::ErrPacket& err, std::uint8_t seq, bool then_close = false);
    void send_ok(std::uint8_t seq);
    void release_backend();
    std::string who() const;

    Worker& worker_;
    std::uint32_t id_;
    Connection* client_ = nullptr;
    std::string client_ip_;
    State state_ = State::greeting_sent;
    std::chrono::steady_clock::time_point deadline_;
    std::chrono::steady_clock::time_point last_activity_;
    bool draining_ = false;
    bool discarding_ = false;  // after ERR 1153: ignore input until the client stops sending or time runs out

    // login
    protocol::PacketFramer framer_;
    std::string seed_;
    protocol::Capabilities caps_ = 0;  // negotiated with the client, and used with the backend
    std::uint8_t charset_ = 45;
    std::uint32_t max_packet_ = 0;
    std::string user_;
    std::string database_;
    std::string auth_response_;
    protocol::ConnectAttributes attributes_;
    std::uint8_t next_seq_ = 0;  // next sequence id towards the client during login
    bool refresh_asked_ = false;
    bool logged_in_ = false;
    std::optional<BackendLogin> backend_login_;

    // command phase
    std::unique_ptr<BackendConn> backend_;
    std::optional<protocol::ResponseTracker> tracker_;
    protocol::PacketScanner scanner_;
    std::deque<PendingCommand> pending_;
    std::optional<PendingCommand> awaiting_backend_;  // a command that waits for a (re)connected backend
    using TimePoint = std::chrono::steady_clock::time_point;
    std::optional<TimePoint> slot_wait_until_;  // waiting for a slot under max_backend_connections
    std::optional<TimePoint> hold_until_;       // held while there is no primary (failover_hold_timeout)
    bool in_transaction_ = false;  // from the server's status flags at the end of the last response
    std::optional<std::string> init_db_;
    std::chrono::steady_clock::time_point statement_started_;  // of the command at the backend
    std::uint64_t statements_ = 0;
    std::uint64_t errors_ = 0;              // the database a running COM_INIT_DB selects
    std::optional<PendingCommand> paused_;  // held by PAUSE until RESUME
    StatementProbe probe_;                  // what SHOW SESSIONS and SHOW QUERY DIGEST see
};

}  // namespace sluice::proxy
