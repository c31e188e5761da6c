#pragma once
// The admin console on the main loop: a virtual backend speaking the real protocol. AdminConsole accepts
// connections and owns the sessions; an AdminSession greets its client (mysql_native_password, its own seed),
// lets in only the configured admin account, then answers COM_QUERY from the command table
// (admin_commands.hpp). Commands that block (switchover, failover, rejoin) run on a thread of their own and
// their result is posted back to the loop; the session reads no further command until it is answered.
//
//   greeting_sent -> [auth_switch_sent] -> idle <-> running
//   any state -> closed (one place: end())

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/capabilities.hpp"
#include "protocol/err_packet.hpp"
#include "protocol/packet_framer.hpp"
#include "proxy/admin_commands.hpp"
#include "proxy/chunk.hpp"
#include "proxy/connection.hpp"

namespace sluice::proxy {

class AdminConsole;

class AdminSession final : public ConnectionHandler {
  public:
    enum class State : std::uint8_t {
        greeting_sent,     // waiting for the HandshakeResponse
        auth_switch_sent,  // asked the client for a mysql_native_password answer
        idle,              // between commands
        running,           // an operation runs off the loop; further commands wait in the framer
        closed,
    };

    AdminSession(AdminConsole& console, std::uint32_t id);
    AdminSession(const AdminSession&) = delete;
    AdminSession& operator=(const AdminSession&) = delete;

    bool start(uv_stream_t* server);
    std::uint32_t id() const { return id_; }
    State state() const { return state_; }
    void check_deadline(std::chrono::steady_clock::time_point now);
    void on_operation_done(const health::OperationResult& r, std::uint8_t seq);
    void end(std::string_view why);

    void on_read(Connection& c, const ChunkRef& chunk, std::string_view data) override;
    void on_read_error(Connection& c, int status) override;
    void on_write_error(Connection& c, int status) override;

  private:
    void move_to(State next);
    void process();  // the payloads buffered in the framer, while not running
    void send_greeting();
    void on_handshake_response(std::string_view payload);
    void authenticate();
    void on_command(std::string_view payload);
    void answer(admin::Reply reply, std::uint8_t seq);
    void send_ok(std::uint8_t seq, std::string info = {});
    void send_err(const protocol::ErrPacket& err, std::uint8_t seq, bool then_close = false);

    AdminConsole& console_;
    std::uint32_t id_;
    Connection* client_ = nullptr;
    std::string client_ip_;
    State state_ = State::greeting_sent;
    std::chrono::steady_clock::time_point deadline_;
    protocol::PacketFramer framer_;
    std::string seed_;
    protocol::Capabilities caps_ = 0;
    std::string user_;
    std::string auth_response_;
    std::uint8_t next_seq_ = 0;  // during login
    bool heard_ = false;         // the client sent something
};

class AdminConsole {
  public:
    AdminConsole(uv_loop_t* loop, admin::Context context);
    ~AdminConsole();
    AdminConsole(const AdminConsole&) = delete;
    AdminConsole& operator=(const AdminConsole&) = delete;

    // Accepts the pending connection on the admin listener.
    void accept(uv_stream_t* server);
    // Shutdown: closes every session; operations already running finish (bounded by the monitor's timeouts)
    // before the loop can end.
    void close_all();

    uv_loop_t* loop() { return loop_; }
    ChunkPool& chunks() { return chunks_; }
    // The running config (the latest RELOAD CONFIG): the admin account and the handshake timeout.
    std::shared_ptr<const Config> config() const { return context_.config(); }
    const admin::Context& context() const { return context_; }
    // Runs `op` on a thread of its own and hands the result to session `id` (if still there) on the loop.
    void run(admin::Operation op, std::uint32_t id, std::uint8_t seq);
    // The session is over: it is deleted after the current callback.
    void ended(AdminSession& s);

  private:
    struct Running;
    static void on_tick(uv_timer_t* h);
    static void on_done(uv_async_t* h);
    void reap();

    uv_loop_t* loop_;
    admin::Context context_;
    ChunkPool chunks_;
    uv_timer_t timer_{};
    bool closed_ = false;
    std::uint32_t next_id_ = 1;
    std::map<std::uint32_t, std::unique_ptr<AdminSession>> sessions_;
    std::vector<std::unique_ptr<AdminSession>> dead_;
};

}  // namespace sluice::proxy
