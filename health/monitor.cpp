#include "health/monitor.hpp"

#include <fmt/format.h>
#include <mysql.h>
#include <pthread.h>

#include "health/log.hpp"
#include "health/probe_pool.hpp"

namespace sluice::health {

namespace {

using Clock = std::chrono::steady_clock;

std::vector<BackendState> initial_states(const std::vector<BackendSpec>& specs) {
    std::vector<BackendState> out;
    for (const BackendSpec& s : specs) {
        BackendState b;
        b.spec = s;
        out.push_back(std::move(b));
    }
    return out;
}

}  // namespace

Monitor::Monitor(std::vector<BackendSpec> backends, MonitorSettings settings)
    : specs_(std::move(backends)), settings_(std::move(settings)), observed_(initial_states(specs_)) {
    ctx_.failcount = settings_.failcount;
    Topology t;
    t.backends = observed_;
    snapshot_.store(std::make_shared<const Topology>(std::move(t)));
}

Monitor::~Monitor() {
    stop();
}

void Monitor::on_change(ChangeCallback cb) {
    on_change_ = std::move(cb);
}

void Monitor::start() {
    std::lock_guard lock(mu_);
    if (running_) return;
    pool_ = std::make_unique<ProbePool>(specs_, settings_);
    stopping_ = false;
    running_ = true;
    thread_ = std::thread([this] {
        pthread_setname_np(pthread_self(), "sluice-monitor");
        thread_main();
    });
}

void Monitor::stop() {
    {
        std::lock_guard lock(mu_);
        if (!running_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    pool_->stop();
    std::lock_guard lock(mu_);
    running_ = false;
}

std::shared_ptr<const Topology> Monitor::snapshot() const {
    return snapshot_.load();
}

std::shared_ptr<const Topology> Monitor::wait_for(const std::function<bool(const Topology&)>& pred,
                                                  std::chrono::milliseconds timeout) const {
    std::unique_lock lock(snapshot_mu_);
    snapshot_cv_.wait_for(lock, timeout, [&] { return pred(*snapshot_.load()); });
    return snapshot_.load();
}

std::vector<Event> Monitor::events() const {
    return events_.all();
}

std::uint64_t Monitor::record(Event e) {
    const auto level = e.ok || e.kind == EventKind::rejoin ? spdlog::level::info : spdlog::level::warn;
    e.id = events_.add(e);
    logger()->log(level, "{}", describe(e));
    return e.id;
}

std::uint64_t Monitor::record_after_checks(Event e, std::size_t new_primary) {
    observe(pool_->check_all(settings_.interval));
    Topology t = derive_now();
    if (const auto& s = t.backends[new_primary].status) e.new_position = s->gtid_current_pos.to_string();
    const std::uint64_t id = record(std::move(e));
    publish(std::move(t));
    return id;
}

OperationResult Monitor::submit(std::function<OperationResult()> run) {
    if (std::this_thread::get_id() == thread_.get_id())  // the change callback: it would wait for itself
        return {false, "switchover, failover and rejoin cannot be called from the monitor thread", 0};
    auto cmd = std::make_shared<Command>();
    cmd->run = std::move(run);
    auto done = cmd->done.get_future();
    {
        std::lock_guard lock(mu_);
        if (!running_ || stopping_) return {false, "the monitor is not running", 0};
        commands_.push_back(cmd);
    }
    wake_.notify_all();
    return done.get();
}

OperationResult Monitor::switchover(std::optional<std::string> target) {
    return submit([this, target] { return do_switchover(target); });
}

OperationResult Monitor::failover(std::optional<std::string> target, bool force) {
    FailoverRequest r;
    r.target = std::move(target);
    r.force = force;
    return submit([this, r] { return do_failover(r); });
}

OperationResult Monitor::rejoin(const std::string& name) {
    return submit([this, name] { return do_rejoin(name); });
}

OperationResult Monitor::set_override(const std::string& name, Override o) {
    return submit([this, name, o] { return do_set_override(name, o); });
}

OperationResult Monitor::add_backends(std::vector<BackendSpec> added) {
    return submit([this, added = std::move(added)] { return do_add_backends(added); });
}

OperationResult Monitor::do_add_backends(const std::vector<BackendSpec>& added) {
    std::vector<std::string> names;
    for (const BackendSpec& spec : added) {
        for (const BackendSpec& known : specs_)
            if (known.name == spec.name)
                return {false, fmt::format("backend {} exists already", spec.name), 0};
        names.push_back(spec.name);
    }
    for (const BackendSpec& spec : added) {
        specs_.push_back(spec);
        BackendState b;
        b.spec = spec;
        observed_.push_back(std::move(b));
        pool_->add(spec);
        logger()->info("backend={}: added ({}:{})", spec.name, spec.host, spec.port);
    }
    publish(derive_now());
    return {true, fmt::format("added {}", fmt::join(names, ", ")), 0};
}

OperationResult Monitor::do_set_override(const std::string& name, Override o) {
    auto t = current();
    auto i = t->index_of(name);
    if (!i) return {false, fmt::format("no backend named '{}'", name), 0};
    if (o != Override::online && t->primary == i)
        return {false, fmt::format("{} is the primary: run SWITCHOVER first", name), 0};
    if (o == Override::online)
        overrides_.erase(name);
    else
        overrides_[name] = o;
    logger()->info("backend={}: operator set it {}", name, to_string(o));
    publish(derive_now());
    return {true, fmt::format("{} is {}", name, to_string(o)), 0};
}

void Monitor::thread_main() {
    mysql_thread_init();
    for (;;) {
        const auto start = Clock::now();
        try {
            tick();
        } catch (const std::exception& e) {
            logger()->error("monitor tick failed: {}", e.what());
        }
        std::unique_lock lock(mu_);
        wake_.wait_until(lock, start + settings_.interval, [&] { return stopping_ || !commands_.empty(); });
        if (stopping_) break;
    }
    std::lock_guard lock(mu_);
    for (auto& cmd : commands_) cmd->done.set_value({false, "the monitor stopped", 0});
    commands_.clear();
    mysql_thread_end();
}

// The recipe: check everything, derive and publish; then the operator's commands; then act on what was seen.
void Monitor::tick() {
    refresh();
    run_commands();
    watch_primary(*current());
    fence_and_rejoin(*current());
}

void Monitor::run_commands() {
    std::deque<std::shared_ptr<Command>> todo;
    {
        std::lock_guard lock(mu_);
        todo.swap(commands_);
    }
    for (auto& cmd : todo) {
        try {
            cmd->done.set_value(cmd->run());
        } catch (const std::exception& e) {
            cmd->done.set_value({false, std::string("internal error: ") + e.what(), 0});
        }
    }
}

void Monitor::observe(std::vector<std::optional<ProbeResult>> results) {
    for (std::size_t i = 0; i < observed_.size(); ++i) {
        BackendState& b = observed_[i];
        std::optional<ProbeResult>& r = results[i];
        if (r && r->ok) {
            if (b.failures > 0) logger()->info("backend={}: answers again", b.spec.name);
            b.failures = 0;
            b.status = std::move(r->status);
            b.error.clear();
            b.error_code = 0;
            b.latency = r->latency;
            continue;
        }
        b.error = r ? r->error.message : "no answer within the check interval";
        b.error_code = r ? r->error.code : 0;
        if (b.failures == 0)
            logger()->warn("backend={}: check failed: {} {}", b.spec.name, b.error_code, b.error);
        if (b.failures < 1'000'000) ++b.failures;
    }
}

Topology Monitor::derive_now() {
    Topology t = derive_topology(observed_, ctx_);
    if (t.primary) ctx_.primary_hint = t.backends[*t.primary].spec.name;
    apply_overrides(t, overrides_);
    return t;
}

void Monitor::refresh() {
    observe(pool_->check_all(settings_.interval));
    publish(derive_now());
}

void Monitor::republish_flags() {
    Topology t = *current();
    publish(std::move(t));
}

void Monitor::publish(Topology t) {
    t.version = ++version_;
    t.at = std::chrono::system_clock::now();
    t.writes_paused = writes_paused_;
    t.failover_in_progress = failover_in_progress_;
    auto before = snapshot_.load();
    auto next = std::make_shared<const Topology>(std::move(t));
    {
        std::lock_guard lock(snapshot_mu_);
        snapshot_.store(next);
    }
    snapshot_cv_.notify_all();
    if (before->same_shape(*next)) return;
    log_changes(*before, *next);
    if (!on_change_) return;
    try {
        on_change_(next);
    } catch (const std::exception& e) {
        logger()->error("topology change callback threw: {}", e.what());
    }
}

void Monitor::log_changes(const Topology& before, const Topology& after) {
    for (std::size_t i = 0; i < after.backends.size(); ++i) {
        const BackendState& a = after.backends[i];
        Role was = i < before.backends.size() ? before.backends[i].role : Role::unknown;
        if (a.role != was)
            logger()->info("backend={}: role {} -> {}", a.spec.name, to_string(was), to_string(a.role));
    }
    for (const std::string& w : after.warnings)
        if (std::find(before.warnings.begin(), before.warnings.end(), w) == before.warnings.end())
            logger()->warn("{}", w);
    logger()->info("topology v{}: {}", after.version, describe(after));
}

ReplicationSource Monitor::source_of(std::size_t primary, bool semi_sync) const {
    return {specs_[primary].host, specs_[primary].port, settings_.replication_user,
            settings_.replication_password, semi_sync};
}

bool Monitor::keeps_semi_sync(const Topology& t, std::size_t primary) const {
    return settings_.semi_sync == SemiSync::automatic && semi_sync_in_use(t, primary);
}

}  // namespace sluice::health
