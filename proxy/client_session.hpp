#pragma once
// One client: Sluice's greeting, the client's authentication against the account store, the backend login on
// its behalf, then every command routed (router/route.hpp) to the primary or a replica and its response
// streamed back packet by packet.
//
//   greeting_sent -> [auth_switch_sent] -> [waiting_accounts] -> connecting_backend -> idle <-> forwarding
//   any state -> closed (one place: end())
//
// A session holds at most one connection per backend (Slot). Each client command becomes a Job; advance()
// takes it through its steps, each of which may wait for the network:
//   route -> connect the chosen backend -> replay the session commands it missed -> prepare the statement
//   there (binary protocol) -> wait for the session's last write (MASTER_GTID_WAIT) -> send -> stream.
// Steps that talk to a backend on the session's own behalf are Internal queries: their responses are read and
// never reach the client.

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "protocol/auth/digest.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/command.hpp"
#include "protocol/connect_attrs.hpp"
#include "protocol/packet_framer.hpp"
#include "protocol/response_tracker.hpp"
#include "proxy/backend_conn.hpp"
#include "proxy/connection.hpp"
#include "proxy/statement_probe.hpp"
#include "router/route.hpp"
#include "router/session_state.hpp"
#include "router/statement.hpp"

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
        forwarding,          // a command is on its way (routing, connecting, waiting) or at a backend
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
    void on_topology_changed();
    // RESUME on the admin port: the command held by PAUSE runs (session_admin.cpp).
    void resume_paused();
    // Graceful shutdown: idle sessions close now; busy ones when their response ends.
    void drain();
    // Immediate close with a reason for the log. `flush`: what was written last (an ERR) reaches the client
    // before the FIN (uv_shutdown first); not needed after the client's COM_QUIT, which saves a system call
    // and a loop turn per disconnect.
    void end(std::string_view why, bool flush = true);

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
    using TimePoint = std::chrono::steady_clock::time_point;

    struct PendingCommand {
        std::vector<std::uint8_t> payload;
        std::uint8_t first_seq = 0;
        std::uint8_t last_seq = 0;
    };

    // The session's connection to one backend.
    struct Slot {
        std::unique_ptr<BackendConn> conn;
        bool fresh = true;   // the session-command history is still to be replayed on it
        bool dirty = false;  // ran something that may leave session state: the pool must reset it
        std::vector<std::string>
            missed;  // session commands run elsewhere since; replayed before its next use
        std::unordered_map<std::uint32_t, std::uint32_t> statements;  // client statement id -> this backend's
        std::unordered_set<std::uint32_t> types_sent;  // statements whose current parameter types it has
        std::string waited_gtid;                       // the last GTID MASTER_GTID_WAIT confirmed here
    };

    // A binary-protocol prepared statement, under the id the client knows it by.
    struct Prepared {
        std::string sql;
        std::shared_ptr<const router::Statement> st;  // classified once; each EXECUTE's job shares it
        std::uint16_t params = 0;
        std::vector<std::uint8_t> types;                   // 2 bytes per parameter, from the last execute
        std::vector<std::vector<std::uint8_t>> long_data;  // SEND_LONG_DATA payloads held until the execute
        std::optional<std::size_t> last_backend;           // where it last executed (FETCH, RESET go there)
    };

    // One client command on its way.
    struct Job {
        PendingCommand cmd;
        protocol::Command command;
        std::shared_ptr<const router::Statement> st;  // what route() decides on
        router::RoutePlan plan;
        std::size_t backend = 0;
        bool routed = false;
        bool sent = false;
        bool to_client = false;      // some of the response reached the client: it can no longer be retried
        bool counted = false;        // counted as outstanding on `backend`
        bool force_primary = false;  // the replica could not catch up in time (gtid_wait_timeout)
        bool gtid_known = false;     // consistency_step() ran
        bool patch_id = false;       // PREPARE_OK: the statement id is rewritten to the client's
        int retries = 0;
        // What the client is told if the retry finds nowhere (only a retried read has one).
        std::unique_ptr<protocol::ErrPacket> retry_error;
        // Bit i: backend i failed this command (at most AppendOnly's 64 backends).
        std::uint64_t excluded = 0;
        std::optional<TimePoint> hold_until;  // waiting for a primary (failover_hold_timeout)
        std::optional<TimePoint> retry_at;    // refused by a primary turning read-only: runs again after this
        int read_only_retries = 0;
        std::optional<TimePoint> slot_wait_until;  // waiting for room under max_backend_connections
        std::uint32_t client_stmt = 0;             // statement commands: the client's statement id
        std::size_t response_bytes = 0;            // of the response so far (PREPARE_OK's id is rewritten)
        TimePoint started{};

        void exclude(std::size_t index) {
            if (index < 64) excluded |= std::uint64_t{1} << index;
        }
    };

    // A statement Sluice runs on a backend for the session; the client never sees its response.
    struct Internal {
        enum class Kind : std::uint8_t { replay, last_gtid, primary_position, gtid_wait, prepare };
        Kind kind = Kind::replay;
        std::size_t backend = 0;
        std::string sql;
        protocol::PacketFramer framer{1 << 24};
        std::optional<protocol::ResponseTracker> tracker;
        std::optional<std::string> value;  // first column of the first row
    };

    void move_to(State next);
    std::string who() const;
    void send_err(const protocol::ErrPacket& err, std::uint8_t seq, bool then_close = false);
    void send_ok(std::uint8_t seq);

    // login (session_login.cpp)
    void send_greeting();
    void on_login_payload(std::string_view payload, std::uint8_t seq);
    void on_handshake_response(std::string_view payload);
    void authenticate();
    bool verify(const Account& account);
    void connect_backend();  // the login's connection, to the primary
    void on_login_done();
    void change_user(const PendingCommand& cmd);  // session_change_user.cpp

    // backend connections (session_backends.cpp)
    // Takes one from the pool or starts a new one; false when it cannot now (the job says why or waits).
    bool open_slot(std::size_t index);
    void release_slots();  // clean connections back to the pool
    void lose_slot(std::size_t index, std::string_view why);
    std::size_t slot_of(const BackendConn& b) const { return b.backend_index(); }
    const std::string& backend_name(std::size_t index) const;  // stable: Runtime::backends only grows
    void count_outstanding(Job& j, bool on);
    // Tells the registry (for KILL from other sessions) which backend thread runs this session's statements;
    // only when it changed, so consecutive statements on one connection take no lock.
    void publish_backend(std::uint32_t thread, std::size_t backend);

    // commands (session_commands.cpp)
    void on_client_payload(std::string_view payload, std::uint8_t first_seq, std::uint8_t last_seq);
    void run_command(PendingCommand cmd);
    void run_pending();
    void hold_paused(PendingCommand cmd);  // PAUSE on the admin port (session_admin.cpp)
    // "db1,db2": the backends it has a connection to, for SHOW SESSIONS; rebuilt only when that set changed.
    const std::string& held_backends();
    std::uint64_t held_mask() const;  // bit i: slots_[i] holds a connection
    // SHOW SESSIONS' cell brought up to date (the worker's clock calls it through check_deadline()).
    void publish_activity();
    void finish_job();
    void fail_job(const protocol::ErrPacket& err);
    void on_response_complete();
    void after_success(Job& j, const protocol::ResponseTracker& t);
    bool in_local_infile() const {
        return state_ == State::forwarding && job_ && job_->sent && tracker_ &&
               tracker_->status() == protocol::TrackerStatus::need_client;
    }
    bool intercept_kill(const PendingCommand& cmd);  // session_kill.cpp

    // routing (session_route.cpp)
    void advance();
    bool route_job(Job& j);  // false: waiting (or the job ended)
    bool hold(Job& j, std::string_view why);
    bool may_retry(const Job& j) const;
    // The primary refused the statement with 1290 (read-only: a switchover has begun): nothing ran, so it
    // runs again on the new primary. True when the job was taken back for that.
    bool retry_refused_write(Job& j);
    void send_job(Job& j);

    // internal statements (session_internal.cpp)
    void start_internal(Internal::Kind kind, std::size_t backend, std::string sql);
    void start_internal_prepare(std::size_t backend, const std::string& sql);
    void on_internal_data(std::string_view data);
    void on_internal_done();
    bool consistency_step(Job& j);  // false: an internal query is fetching a GTID first

    // prepared statements (session_prepared.cpp)
    // COM_STMT_CLOSE and COM_STMT_SEND_LONG_DATA (no response, no job): true when it was one of them.
    bool statement_command(const PendingCommand& cmd, protocol::Command command);
    void statement_job(Job& j);  // PREPARE, EXECUTE, FETCH, RESET: ids, the statement to route, the backend
    void rewrite_statement_payload(Job& j, Slot& s, std::vector<std::uint8_t>& out);
    std::vector<std::uint8_t> take_payload_buffer(std::string_view payload);
    void recycle_payload_buffer(std::vector<std::uint8_t> buf);
    void patch_prepare_ok(Job& j, std::string_view data, std::vector<std::uint8_t>& out);

    // The members every statement touches come first, together: with hundreds of busy sessions a session's
    // memory is cold each time one of its statements comes, and each cache line it touches costs a miss.
    Worker& worker_;
    Connection* client_ = nullptr;
    std::uint32_t id_;
    State state_ = State::greeting_sent;
    bool draining_ = false;
    bool discarding_ = false;  // after ERR 1153: ignore input until the client stops sending or time runs out
    bool logged_in_ = false;
    protocol::Capabilities caps_ = 0;  // negotiated with the client, and used with the backends
    TimePoint last_activity_;
    std::optional<Job> job_;
    std::unique_ptr<Internal> internal_;  // rare: allocated while one runs
    std::optional<protocol::ResponseTracker> tracker_;
    protocol::PacketScanner scanner_;
    protocol::PacketFramer framer_;  // client packets (the login's small limit, then max_packet_size)
    std::vector<Slot> slots_;        // one per configured backend (at most AppendOnly's 64)
    std::unordered_map<std::uint32_t, Prepared> prepared_;
    std::deque<PendingCommand> pending_;
    std::uint32_t published_thread_ = 0;
    std::size_t published_backend_ = 0;
    std::uint64_t statements_ = 0;
    std::uint64_t errors_ = 0;
    router::RouteState rr_;
    StatementProbe probe_;         // what SHOW SESSIONS and SHOW QUERY DIGEST see
    router::SessionState router_;  // its per-statement part first, then what changes rarely

    // Login, and what is rarely touched after it.
    std::string client_ip_;
    TimePoint deadline_;
    std::string seed_;
    std::uint8_t charset_ = 45;
    std::uint32_t max_packet_ = 0;
    std::string user_;
    std::string database_;
    std::string auth_response_;
    protocol::ConnectAttributes attributes_;
    std::uint8_t next_seq_ = 0;  // next sequence id towards the client during login
    bool refresh_asked_ = false;
    std::optional<BackendLogin> backend_login_;
    std::size_t login_backend_ = 0;
    std::uint64_t held_mask_ = 0;  // which slots held_ lists
    std::string held_;
    std::uint32_t next_stmt_id_ = 1;
    std::uint32_t last_prepared_ = 0;
    std::optional<PendingCommand> paused_;  // held by PAUSE until RESUME
};

}  // namespace sluice::proxy
