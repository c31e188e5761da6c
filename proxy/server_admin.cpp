// The admin console's reach into the running proxy: the Context its commands use, built from the monitor,
// the runtime and the workers. Everything here runs on the main loop and only reads what the workers publish
// (atomics, per-session cells, per-worker digest tables) or wakes them with uv_async.

#include <fmt/format.h>

#include "health/monitor.hpp"
#include "proxy/account_store.hpp"
#include "proxy/admin_session.hpp"
#include "proxy/config_reload.hpp"
#include "proxy/log.hpp"
#include "proxy/server.hpp"
#include "proxy/worker.hpp"
#include "sluice_version.hpp"

namespace sluice::proxy {

void Server::start_admin() {
    admin::Context ctx;
    ctx.config = [this] { return runtime_->live_config(); };
    ctx.version = SLUICE_VERSION;
    health::Monitor* m = monitor_.get();
    ctx.topology = [m] { return m->snapshot(); };
    ctx.events = [m] { return m->events(); };
    ctx.counters = [this] {
        CountersSnapshot total;
        for (auto& w : workers_) total.add(w->counters());
        return total;
    };
    ctx.switchover = [m](std::optional<std::string> target) { return m->switchover(std::move(target)); };
    ctx.failover = [m](std::optional<std::string> target, bool force) {
        return m->failover(std::move(target), force);
    };
    ctx.rejoin = [m](const std::string& name) { return m->rejoin(name); };
    ctx.set_server = [m](const std::string& name, health::Override o) { return m->set_override(name, o); };
    ctx.pools = [this] { return pool_rows(); };
    ctx.sessions = [this] { return runtime_->sessions.list(); };
    ctx.digests = [this](std::size_t limit) { return digest_rows(limit); };
    ctx.paused = [this] { return runtime_->paused.load(); };
    ctx.set_paused = [this](bool paused) { set_paused(paused); };
    ctx.kill_session = [this](std::uint32_t id) {
        auto e = runtime_->sessions.find(id);
        if (!e) return false;
        log(Component::admin).info("{}KILL SESSION from the admin console", proxy::ctx(id));
        e->worker->kill_session(id);
        return true;
    };
    ctx.shutdown = [this](bool graceful) {
        log(Component::admin).info("SHUTDOWN{} from the admin console", graceful ? " GRACEFUL" : "");
        if (!graceful) runtime_->stop_now = true;
        // On the next loop turn: the OK goes out first, then shutdown() closes the admin sessions.
        uv_timer_start(&admin_shutdown_, on_admin_shutdown, 0, 0);
    };
    ctx.reload = [this] { return reload_config(); };
    admin_ = std::make_unique<AdminConsole>(&loop_, std::move(ctx));
}

void Server::on_admin_shutdown(uv_timer_t* h) {
    auto* self = static_cast<Server*>(h->data);
    self->shutdown(self->runtime_->stop_now ? "SHUTDOWN from the admin console"
                                            : "SHUTDOWN GRACEFUL from the admin console");
}

void Server::set_paused(bool paused) {
    runtime_->paused = paused;
    log(Component::admin).info("{} from the admin console", paused ? "PAUSE" : "RESUME");
    if (!paused)
        for (auto& w : workers_) w->notify_resume();
}

std::optional<std::string> Server::add_backends(const std::vector<health::BackendSpec>& specs,
                                                std::uint32_t max_connections) {
    if (specs.empty()) return std::nullopt;
    std::vector<BackendAddress> resolved;
    if (auto err = resolve_backends(specs, resolved)) return err;
    if (runtime_->backends.size() + resolved.size() > AppendOnly<BackendAddress>::kCapacity)
        return fmt::format("at most {} backends", AppendOnly<BackendAddress>::kCapacity);
    // The runtime first: a worker that sees the new backend in a topology finds its address and gate.
    for (auto& b : resolved) (void)runtime_->add_backend(std::move(b), max_connections);
    health::OperationResult r = monitor_->add_backends(specs);
    if (!r.ok) return r.message;
    return std::nullopt;
}

std::vector<PoolRow> Server::pool_rows() const {
    std::vector<PoolRow> out;
    for (const auto& w : workers_)
        for (std::size_t b = 0; b < runtime_->backends.size(); ++b)
            out.push_back(w->pool_stats().row(w->index(), b));
    return out;
}

std::vector<DigestRow> Server::digest_rows(std::size_t limit) const {
    std::vector<std::vector<DigestRow>> tables;
    for (const auto& w : workers_) tables.push_back(w->digests().rows());
    return merge_digests(tables, limit);
}

// Runs on an admin operation's thread: everything it touches is thread-safe (atomics, the monitor's command
// queue, uv_async), and reload_mu_ keeps two reloads from interleaving.
admin::ReloadOutcome Server::reload_config() {
    std::lock_guard lock(reload_mu_);
    auto running = runtime_->live_config();
    auto refuse = [](const std::string& why) {
        log(Component::admin).error("RELOAD CONFIG refused, the running config is kept: {}", why);
        return admin::ReloadOutcome{false, fmt::format("RELOAD CONFIG: {}; the running config is kept", why)};
    };
    ConfigResult loaded = load_config_file(running->source);
    if (auto* err = std::get_if<ConfigError>(&loaded)) return refuse(err->message);
    ReloadPlan plan = plan_reload(*running, std::get<Config>(loaded));
    if (auto err = add_backends(plan.added_backends, plan.next.limits.max_backend_connections))
        return refuse(*err);
    auto next = std::make_shared<const Config>(std::move(plan.next));
    runtime_->set_live_config(next);
    if (next->logging.level != running->logging.level) {
        auto level = spdlog::level::from_str(next->logging.level);
        for (Component c : {Component::proxy, Component::router, Component::health, Component::admin})
            log(c).set_level(level);
    }
    if (next->limits.max_backend_connections != running->limits.max_backend_connections)
        for (auto& g : runtime_->gates) g->set_max(next->limits.max_backend_connections);
    if (next->users.list != running->users.list) accounts_->set_config_users(next->users.list);
    for (auto& w : workers_) w->notify_config();
    std::string what = describe(plan);
    log(Component::admin).info("RELOAD CONFIG from {}: {}", next->source, what);
    return {true, what};
}

}  // namespace sluice::proxy
