#include "proxy/server.hpp"

#include <fmt/format.h>

#include <csignal>
#include <thread>

#include "health/monitor.hpp"
#include "protocol/error_codes.hpp"
#include "proxy/account_store.hpp"
#include "proxy/admin_session.hpp"
#include "proxy/log.hpp"
#include "proxy/worker.hpp"
#include "sluice_version.hpp"

namespace sluice::proxy {

Server::Server(Config config)
    : config_(std::move(config)), admin_listener_(&loop_, "admin", [this](uv_stream_t* s) { on_admin(s); }) {
    uv_loop_init(&loop_);
}

Server::~Server() {
    for (auto& w : workers_) w->join();
    workers_.clear();
    // run() closes every handle before it returns; a loop that still has some is a bug worth hearing about.
    if (uv_loop_close(&loop_) != 0) log(Component::proxy).error("event loop closed with handles still open");
}

std::optional<std::string> Server::start_workers() {
    std::vector<BackendAddress> backends;
    if (auto err = resolve_backends(config_.backends, backends)) return err;
    accounts_ = std::make_unique<AccountStore>(config_.users, config_.backends, config_.monitor);
    accounts_->start();
    runtime_ = std::make_unique<Runtime>(config_, std::move(backends), *accounts_);
    monitor_ = std::make_unique<health::Monitor>(config_.backends, config_.monitor);
    runtime_->monitor = monitor_.get();
    if (auto g =
            probe_greeting(runtime_->backends, static_cast<int>(config_.monitor.connect_timeout.count())))
        runtime_->learn_greeting(*g);
    int n = worker_count(config_.limits, std::thread::hardware_concurrency());
    if (auto busy = check_port_free(config_.listen)) return "client listener: " + *busy;
    const bool on_socket = !config_.listen.socket.empty();
    if (on_socket) {
        if (auto err = client_socket_.open(config_.listen.socket)) return "client socket listener: " + *err;
    }
    for (int i = 0; i < n; ++i) {
        workers_.push_back(std::make_unique<Worker>(*runtime_, i));
        if (auto err = workers_.back()->listen(on_socket ? &client_socket_ : nullptr)) return err;
    }
    for (auto& w : workers_) {
        Worker* raw = w.get();
        accounts_->add_listener([raw] { raw->notify_accounts(); });
    }
    monitor_->on_change([this](const std::shared_ptr<const health::Topology>&) {
        for (auto& w : workers_) w->notify_topology();
    });
    monitor_->start();
    WorkerScheduling scheduling = worker_scheduling(config_.limits, std::thread::hardware_concurrency());
    for (auto& w : workers_) w->start(scheduling);
    log(Component::proxy)
        .info("client listener on {}:{}{} ({} worker{}, {} scheduling)", config_.listen.address,
              config_.listen.port, on_socket ? " and " + config_.listen.socket : "", n, n == 1 ? "" : "s",
              to_string(scheduling));
    return std::nullopt;
}

int Server::run() {
    std::signal(SIGPIPE, SIG_IGN);  // a client that vanishes mid-write must not kill the proxy
    uv_signal_init(&loop_, &sigterm_);
    uv_signal_init(&loop_, &sigint_);
    sigterm_.data = sigint_.data = this;
    uv_signal_start(&sigterm_, on_signal, SIGTERM);
    uv_signal_start(&sigint_, on_signal, SIGINT);
    uv_timer_init(&loop_, &admin_shutdown_);
    admin_shutdown_.data = this;

    int exit_code = 0;
    auto err = start_workers();
    if (!err) {
        start_admin();
        err = admin_listener_.start(config_.admin.listen);
    }
    if (err) {
        log(Component::proxy).critical("{}", *err);
        exit_code = 1;
        shutdown("start-up failed");
    } else {
        log(Component::proxy)
            .info("admin listener on {}:{}", config_.admin.listen.address, config_.admin.listen.port);
        log(Component::proxy)
            .info("sluice {} started with {} backend(s) (config {})", SLUICE_VERSION, config_.backends.size(),
                  config_.source);
    }
    uv_run(&loop_, UV_RUN_DEFAULT);
    for (auto& w : workers_) w->join();
    if (monitor_) monitor_->stop();
    if (exit_code == 0) {
        CountersSnapshot total;
        for (auto& w : workers_) total.add(w->counters());
        log(Component::proxy)
            .info(
                "stopped: {} client connections ({} failed logins), {} statements, {} errors, {} bytes in, "
                "{} bytes "
                "out, {} backend connects, {} pool hits, latency p50 {} us p99 {} us",
                total.client_connections, total.logins_failed, total.statements, total.errors,
                total.bytes_from_clients, total.bytes_to_clients, total.backend_connects, total.pool_hits,
                percentile_us(total.latency, 0.5), percentile_us(total.latency, 0.99));
    }
    return exit_code;
}

void Server::on_signal(uv_signal_t* h, int signum) {
    static_cast<Server*>(h->data)->shutdown(signum == SIGTERM ? "SIGTERM" : "SIGINT");
}

void Server::shutdown(const char* why) {
    if (stopping_) return;
    stopping_ = true;
    log(Component::proxy).info("shutting down ({})", why);
    // Statements held by PAUSE must run, or the graceful stop would wait for them until its deadline.
    if (runtime_) runtime_->paused = false;
    for (auto& w : workers_) w->request_stop();
    client_socket_.close();
    admin_listener_.close();
    if (admin_) admin_->close_all();
    uv_close(reinterpret_cast<uv_handle_t*>(&sigterm_), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&sigint_), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&admin_shutdown_), nullptr);
    // Closing the handles gave SIGTERM its default action back: a second one (service managers send it again)
    // must not cut the graceful stop short. A second SIGINT (Ctrl-C twice) still quits at once.
    std::signal(SIGTERM, SIG_IGN);
}

void Server::on_admin(uv_stream_t* server) {
    admin_->accept(server);
}

}  // namespace sluice::proxy
