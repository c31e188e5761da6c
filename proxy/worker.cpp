#include "proxy/worker.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <pthread.h>
#include <sched.h>

#include <cerrno>
#include <cstring>

#include "health/monitor.hpp"

#include "protocol/error_codes.hpp"
#include "proxy/client_session.hpp"
#include "proxy/log.hpp"
#include "proxy/refusal.hpp"
#include "proxy/routing_view.hpp"

namespace sluice::proxy {

namespace {
constexpr std::chrono::milliseconds kTick{100};
}

Worker::Worker(Runtime& runtime, int index)
    : runtime_(runtime),
      index_(index),
      pool_(graveyard_, runtime.config.limits.max_backend_connections, pool_stats_),
      limits_(runtime.live_config()->limits),
      routing_(runtime.live_config()->routing),
      listener_(&loop_, "client", [this](uv_stream_t* s) { on_connection(s); }),
      socket_listener_(&loop_, "client socket", [this](uv_stream_t* s) { on_connection(s); }) {
    uv_loop_init(&loop_);
    uv_async_init(&loop_, &stop_async_, on_stop);
    uv_async_init(&loop_, &accounts_async_, on_accounts);
    uv_async_init(&loop_, &kill_async_, on_kill);
    uv_async_init(&loop_, &topology_async_, on_topology);
    uv_async_init(&loop_, &resume_async_, on_resume);
    uv_async_init(&loop_, &config_async_, on_config);
    resume_async_.data = config_async_.data = this;
    topology_async_.data = this;
    kill_async_.data = this;
    uv_timer_init(&loop_, &tick_);
    uv_check_init(&loop_, &check_);
    stop_async_.data = accounts_async_.data = tick_.data = check_.data = this;
}

Worker::~Worker() {
    join();
    if (uv_loop_close(&loop_) != 0)
        log(Component::proxy).error("worker {}: loop closed with open handles", index_);
}

std::optional<std::string> Worker::listen(const UnixSocket* unix_socket) {
    if (auto err = listener_.start(runtime_.config.listen, 1024, true)) return err;
    if (!unix_socket) return std::nullopt;
    int fd = fcntl(unix_socket->fd(), F_DUPFD_CLOEXEC, 0);
    if (fd < 0) return fmt::format("client socket listener: cannot dup the socket: {}", std::strerror(errno));
    return socket_listener_.adopt_unix(fd, unix_socket->path());
}

void Worker::start(WorkerScheduling scheduling) {
    refresh_view();
    uv_timer_start(&tick_, on_tick, kTick.count(), kTick.count());
    uv_check_start(&check_, on_check);
    scheduling_ = scheduling;
    thread_ = std::thread([this] {
        // Named for top -H, perf and /proc (at most 15 bytes): "sluice-worker0", "sluice-worker1", ...
        std::string name = fmt::format("sluice-worker{}", index_).substr(0, 15);
        pthread_setname_np(pthread_self(), name.c_str());
        // SCHED_BATCH: woken by a socket, the worker does not preempt the thread that woke it (the server's
        // or client's thread on the same core runs on to its next wait), which saves the machine context
        // switches when it shares its cores with them (docs/benchmarks.md). Adaptive starts so.
        if (scheduling_ != WorkerScheduling::normal && !set_batch(true))
            scheduling_ = WorkerScheduling::normal;
        uv_run(&loop_, UV_RUN_DEFAULT);
        // Whatever the sessions left behind (closing sockets) finishes here.
        graveyard_.flush();
        uv_run(&loop_, UV_RUN_DEFAULT);
    });
}

void Worker::request_stop() {
    uv_async_send(&stop_async_);
}
void Worker::notify_accounts() {
    uv_async_send(&accounts_async_);
}

void Worker::kill_session(std::uint32_t id) {
    {
        std::lock_guard lock(kill_mu_);
        kills_.push_back(id);
    }
    uv_async_send(&kill_async_);
}

void Worker::on_kill(uv_async_t* h) {
    auto* self = static_cast<Worker*>(h->data);
    std::vector<std::uint32_t> ids;
    {
        std::lock_guard lock(self->kill_mu_);
        ids.swap(self->kills_);
    }
    for (auto id : ids)
        if (auto it = self->sessions_.find(id); it != self->sessions_.end())
            it->second->end("killed (KILL CONNECTION)");
}

std::vector<ClientSession*> Worker::all_sessions() {
    std::vector<ClientSession*> all;
    all.reserve(sessions_.size());
    for (auto& [id, s] : sessions_) all.push_back(s.get());
    return all;
}

void Worker::notify_resume() {
    uv_async_send(&resume_async_);
}

void Worker::on_resume(uv_async_t* h) {
    auto* self = static_cast<Worker*>(h->data);
    if (self->paused()) return;  // paused again meanwhile
    // Copy: a resumed statement may end its session, which edits the map.
    for (ClientSession* s : self->all_sessions())
        if (self->sessions_.contains(s->id())) s->resume_paused();
}

void Worker::notify_config() {
    uv_async_send(&config_async_);
}

void Worker::on_config(uv_async_t* h) {
    auto* self = static_cast<Worker*>(h->data);
    self->limits_ = self->runtime_.live_config()->limits;
    self->routing_ = self->runtime_.live_config()->routing;
    self->refresh_view();
}

void Worker::notify_topology() {
    uv_async_send(&topology_async_);
}

void Worker::on_topology(uv_async_t* h) {
    auto* self = static_cast<Worker*>(h->data);
    if (!self->runtime_.monitor) return;
    self->refresh_view();
    std::vector<ClientSession*> all;
    for (auto& [id, s] : self->sessions_) all.push_back(s.get());
    for (ClientSession* s : all) s->on_topology_changed();
}

void Worker::refresh_view() {
    if (runtime_.monitor) topology_ = runtime_.monitor->snapshot();
    view_ = make_view(topology_.get(), runtime_, routing_, view_, std::chrono::steady_clock::now());
}

bool Worker::writes_on_hold() const {
    if (!topology_ || topology_->version == 0)
        return false;  // before the first check: try the config's first
    return topology_->failover_in_progress || topology_->writes_paused || !topology_->writable_primary();
}

std::size_t Worker::primary_index() const {
    if (topology_ && topology_->primary && *topology_->primary < runtime_.backends.size())
        return *topology_->primary;
    return 0;
}

void Worker::join() {
    if (thread_.joinable()) thread_.join();
}

void Worker::on_stop(uv_async_t* h) {
    static_cast<Worker*>(h->data)->stop_now();
}

void Worker::stop_now() {
    if (stopping_) return;
    stopping_ = true;
    auto grace = runtime_.stop_now.load() ? std::chrono::milliseconds(0) : limits_.shutdown_timeout;
    stop_deadline_ = std::chrono::steady_clock::now() + grace;
    listener_.close();
    socket_listener_.close();
    // Statements held by PAUSE run now (the server lifted it before asking to stop); drain() lets them end.
    for (ClientSession* s : all_sessions())
        if (sessions_.contains(s->id())) s->resume_paused();
    // Copy the ids: drain() may end sessions, which edits the map.
    std::vector<std::uint32_t> ids;
    for (auto& [id, s] : sessions_) ids.push_back(id);
    for (auto id : ids)
        if (auto it = sessions_.find(id); it != sessions_.end()) it->second->drain();
    maybe_finish();
}

void Worker::maybe_finish() {
    if (!stopping_ || handles_closed_ || !sessions_.empty()) return;
    handles_closed_ = true;
    pool_.clear();
    for (uv_handle_t* h :
         {reinterpret_cast<uv_handle_t*>(&stop_async_), reinterpret_cast<uv_handle_t*>(&accounts_async_),
          reinterpret_cast<uv_handle_t*>(&kill_async_), reinterpret_cast<uv_handle_t*>(&topology_async_),
          reinterpret_cast<uv_handle_t*>(&resume_async_), reinterpret_cast<uv_handle_t*>(&config_async_),
          reinterpret_cast<uv_handle_t*>(&tick_), reinterpret_cast<uv_handle_t*>(&check_)})
        uv_close(h, nullptr);
}

void Worker::on_accounts(uv_async_t* h) {
    auto* self = static_cast<Worker*>(h->data);
    std::vector<ClientSession*> waiting;
    for (auto& [id, s] : self->sessions_)
        if (s->state() == ClientSession::State::waiting_accounts) waiting.push_back(s.get());
    for (ClientSession* s : waiting) s->on_accounts_refreshed();
}

void Worker::on_tick(uv_timer_t* h) {
    auto* self = static_cast<Worker*>(h->data);
    auto now = std::chrono::steady_clock::now();
    self->refresh_view();  // fresh lag figures and backoff states
    std::vector<ClientSession*> all;
    all.reserve(self->sessions_.size());
    for (auto& [id, s] : self->sessions_) all.push_back(s.get());
    bool past_deadline = self->stopping_ && now >= self->stop_deadline_;
    for (ClientSession* s : all) {
        if (past_deadline)
            s->end("shutdown timeout");
        else
            s->check_deadline(now);
    }
}

void Worker::on_check(uv_check_t* h) {
    auto* self = static_cast<Worker*>(h->data);
    if (!self->graveyard_.empty()) self->graveyard_.flush();
    if (self->scheduling_ == WorkerScheduling::adaptive) self->adapt_scheduling();
    self->maybe_finish();
}

bool Worker::set_batch(bool batch) {
    sched_param param{};
    if (int rc = pthread_setschedparam(pthread_self(), batch ? SCHED_BATCH : SCHED_OTHER, &param); rc != 0) {
        log(Component::proxy)
            .warn("worker {}: cannot set {} ({}): it stays {} from now on", index_,
                  batch ? "SCHED_BATCH" : "SCHED_OTHER", std::strerror(rc),
                  batch ? "SCHED_OTHER" : "SCHED_BATCH");
        return false;
    }
    batch_now_ = batch;
    return true;
}

// Before the loop waits again: the more statements this worker has waiting on backends, the more clients a
// late wake-up delays — each answer passes through this one thread. With a few (up to kBatchUpTo) it stays
// SCHED_BATCH and saves the machine the context switches; from kPromptFrom it runs as a normal thread, so an
// answer that arrives while every core is busy wakes it at once instead of after the running thread's slice
// (up to a scheduler tick: 4 ms at HZ=250). The gap between the two avoids switching back and forth.
void Worker::adapt_scheduling() {
    constexpr std::uint32_t kBatchUpTo = 8;
    constexpr std::uint32_t kPromptFrom = 16;
    std::uint32_t waiting = 0;
    for (const router::BackendView& b : view_.backends) waiting += b.outstanding;
    bool want = batch_now_ ? waiting < kPromptFrom : waiting <= kBatchUpTo;
    if (want != batch_now_ && !set_batch(want))
        scheduling_ = batch_now_ ? WorkerScheduling::batch : WorkerScheduling::normal;
}

void Worker::on_connection(uv_stream_t* server) {
    const LimitsConfig& limits = limits_;
    if (runtime_.client_sessions.fetch_add(1) >= limits.max_client_connections) {
        runtime_.client_sessions.fetch_sub(1);
        log(Component::proxy)
            .warn("refusing a client: max_client_connections ({}) reached", limits.max_client_connections);
        refuse_connection(server,
                          protocol::ErrPacket::make(protocol::er::kConCountError, "Too many connections"));
        return;
    }
    Counters::add(counters_.client_connections);
    std::uint32_t id = runtime_.next_session_id.fetch_add(1);
    auto session = std::make_unique<ClientSession>(*this, id);
    ClientSession* raw = session.get();
    sessions_.emplace(id, std::move(session));
    runtime_.sessions.add(id, this, index_);
    if (!raw->start(server)) raw->end("accept failed");
}

void Worker::session_ended(ClientSession& s) {
    auto it = sessions_.find(s.id());
    if (it == sessions_.end()) return;
    runtime_.client_sessions.fetch_sub(1);
    runtime_.sessions.remove(s.id());
    graveyard_.bury(std::move(it->second));
    sessions_.erase(it);
}

}  // namespace sluice::proxy
