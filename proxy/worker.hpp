#pragma once
// One event-loop thread. It owns its listener socket (SO_REUSEPORT: the kernel spreads clients across
// workers), its sessions, its backend pool and its buffers; nothing on its data path takes a lock. Other
// threads talk to it only through uv_async handles (stop, accounts refreshed).

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "health/topology.hpp"
#include "proxy/backend_pool.hpp"
#include "proxy/buffer_pool.hpp"
#include "proxy/chunk.hpp"
#include "proxy/graveyard.hpp"
#include "proxy/listener.hpp"
#include "proxy/pool_stats.hpp"
#include "proxy/query_digest.hpp"
#include "proxy/runtime.hpp"
#include "proxy/stats.hpp"
#include "router/lexer.hpp"
#include "router/topology_view.hpp"

namespace sluice::proxy {

class ClientSession;

class Worker {
  public:
    Worker(Runtime& runtime, int index);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    // Binds the client listener (from the main thread, before start()); the error says why not. With
    // `unix_socket` (a listening Unix socket, UnixSocket), the worker also accepts clients there.
    std::optional<std::string> listen(const UnixSocket* unix_socket = nullptr);
    // Runs the loop on a thread of its own, scheduled as `scheduling` says (normal, batch or adaptive).
    void start(WorkerScheduling scheduling);
    // From any thread: stop accepting, let running statements finish, close; the thread then ends.
    void request_stop();
    void join();
    // From any thread: the account store has new accounts.
    void notify_accounts();
    // From any thread: the monitor published a topology of a new shape.
    void notify_topology();
    // The backend that takes writes, by the latest topology (the first backend before the monitor knows).
    std::size_t primary_index() const;
    // No primary can take a statement right now (failover or switchover in progress, or the primary down):
    // sessions hold what they would send to it.
    bool writes_on_hold() const;
    // The router's view of the cluster, refreshed on every topology change and clock tick. Sessions add and
    // remove their outstanding statements in it.
    router::TopologyView& view() { return view_; }
    void refresh_view();
    // From any thread: close this session (KILL CONNECTION from another client, KILL SESSION on the admin
    // port).
    void kill_session(std::uint32_t id);
    // PAUSE on the admin port: sessions hold new statements (ClientSession::run_command) until RESUME.
    bool paused() const { return runtime_.paused.load(std::memory_order_relaxed); }
    // From any thread, after RESUME: held sessions go on.
    void notify_resume();
    // From any thread, after RELOAD CONFIG: take the runtime's live config (limits).
    void notify_config();
    // This loop's copy of the reloadable limits.
    const LimitsConfig& limits() const { return limits_; }
    const RoutingConfig& routing() const { return routing_; }

    int index() const { return index_; }
    uv_loop_t* loop() { return &loop_; }
    ChunkPool& chunks() { return chunks_; }
    BufferPool& buffers() { return buffers_; }
    Graveyard& graveyard() { return graveyard_; }
    BackendPool& pool() { return pool_; }
    Runtime& runtime() { return runtime_; }
    Counters& counters() { return counters_; }
    const Counters& counters() const { return counters_; }
    PoolStats& pool_stats() { return pool_stats_; }
    const PoolStats& pool_stats() const { return pool_stats_; }
    QueryDigest& digests() { return digests_; }
    const QueryDigest& digests() const { return digests_; }
    // The tokens of the COM_QUERY classified last on this loop, for its digest (sessions check that it is
    // theirs: see ClientSession::send_job). One per worker: no session keeps a buffer of its own.
    router::TokenLog& token_log() { return token_log_; }
    // A session is over: forget it and delete it after the current callback.
    void session_ended(ClientSession& s);

  private:
    static void on_stop(uv_async_t* h);
    static void on_accounts(uv_async_t* h);
    static void on_kill(uv_async_t* h);
    static void on_topology(uv_async_t* h);
    static void on_resume(uv_async_t* h);
    static void on_config(uv_async_t* h);
    std::vector<ClientSession*> all_sessions();
    static void on_tick(uv_timer_t* h);
    static void on_check(uv_check_t* h);
    bool set_batch(bool batch);
    void adapt_scheduling();
    void on_connection(uv_stream_t* server);
    void stop_now();
    void maybe_finish();

    Runtime& runtime_;
    int index_;
    uv_loop_t loop_{};
    ChunkPool chunks_;
    BufferPool buffers_;
    Graveyard graveyard_;
    PoolStats pool_stats_;  // before pool_, which counts in it
    BackendPool pool_;
    QueryDigest digests_;
    router::TokenLog token_log_;
    LimitsConfig limits_;
    RoutingConfig routing_;
    Counters counters_;
    Listener listener_;
    Listener socket_listener_;  // listen.socket, when set
    uv_async_t stop_async_{};
    uv_async_t accounts_async_{};
    uv_async_t kill_async_{};
    uv_async_t topology_async_{};
    uv_async_t resume_async_{};
    uv_async_t config_async_{};
    std::shared_ptr<const health::Topology> topology_;  // this loop's copy: no lock on the data path
    router::TopologyView view_;
    std::mutex kill_mu_;
    std::vector<std::uint32_t> kills_;
    uv_timer_t tick_{};
    uv_check_t check_{};
    WorkerScheduling scheduling_ = WorkerScheduling::normal;  // normal, batch or adaptive (resolved)
    bool batch_now_ = false;                                  // the thread runs as SCHED_BATCH
    std::unordered_map<std::uint32_t, std::unique_ptr<ClientSession>> sessions_;
    std::thread thread_;
    bool stopping_ = false;
    bool handles_closed_ = false;
    std::chrono::steady_clock::time_point stop_deadline_;
};

}  // namespace sluice::proxy
