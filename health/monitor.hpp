#pragma once
// The backend monitor: checks every backend each `interval` on its own threads, derives the topology,
// publishes it as an immutable versioned snapshot, and acts — automatic failover when the primary is down and
// its replicas agree, fencing and rejoin of former primaries — plus the operator's switchover, failover and
// rejoin. Each tick reads as a recipe: check all -> derive -> publish -> act.
//
// Threads: one monitor thread runs ticks and every action; one thread per backend runs its checks. The
// public methods may be called from any thread: snapshot() and events() never wait on servers;
// switchover(), failover() and rejoin() hand the work to the monitor thread and block until it is done
// (bounded by the configured timeouts), so they must not be called on an event loop (nor from the change
// callback, which runs on the monitor thread: refused).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "health/backend_spec.hpp"
#include "health/derive.hpp"
#include "health/event.hpp"
#include "health/overrides.hpp"
#include "health/plan.hpp"
#include "health/probe.hpp"
#include "health/recipes.hpp"
#include "health/topology.hpp"
#include "health/verdict.hpp"

namespace sluice::health {

class ProbePool;
class Actions;

struct OperationResult {
    bool ok = false;
    std::string message;         // what happened, or why it was refused
    std::uint64_t event_id = 0;  // the event recording it (0: none)
};

class Monitor {
  public:
    // Called on the monitor thread after a snapshot whose shape changed (roles, primary, flags, reachability,
    // warnings): keep it cheap (e.g. uv_async_send). Every tick publishes a snapshot (fresh lag and
    // positions) but calls back only on such changes.
    using ChangeCallback = std::function<void(const std::shared_ptr<const Topology>&)>;

    Monitor(std::vector<BackendSpec> backends, MonitorSettings settings);
    ~Monitor();  // stop()
    Monitor(const Monitor&) = delete;
    Monitor& operator=(const Monitor&) = delete;

    void on_change(ChangeCallback cb);  // before start()
    void start();
    void stop();  // idempotent; returns once the threads are joined

    // The latest snapshot; never null (version 0, all roles unknown, before the first check).
    std::shared_ptr<const Topology> snapshot() const;
    // Blocks until `pred` holds on a snapshot or `timeout`; the last snapshot seen either way. For tools and
    // tests.
    std::shared_ptr<const Topology> wait_for(const std::function<bool(const Topology&)>& pred,
                                             std::chrono::milliseconds timeout) const;

    // Planned change of primary with no loss: the primary goes read-only (writes_paused), the target catches
    // up with its final position, is promoted, the others (the old primary included) follow it.
    [[nodiscard]] OperationResult switchover(std::optional<std::string> target = std::nullopt);
    // Promotes a replica after the primary was lost; refused while the primary answers unless `force` (then
    // the old primary is fenced first).
    [[nodiscard]] OperationResult failover(std::optional<std::string> target = std::nullopt,
                                           bool force = false);
    // Makes `name` a replica of the primary if its history is contained in the primary's (also to clear a
    // diverged mark once the server has been rebuilt).
    [[nodiscard]] OperationResult rejoin(const std::string& name);
    // The operator's override of `name`'s role (overrides.hpp); published before it returns. Refused for an
    // unknown backend, and for maintenance or draining on the current primary.
    [[nodiscard]] OperationResult set_override(const std::string& name, Override o);
    // Backends added to the config (RELOAD CONFIG), after the existing ones: checked from the next tick on,
    // in the snapshot at once (role unknown). Refused for a name already used.
    [[nodiscard]] OperationResult add_backends(std::vector<BackendSpec> added);

    std::vector<Event> events() const;
    const MonitorSettings& settings() const { return settings_; }

  private:
    struct Command {
        std::function<OperationResult()> run;
        std::promise<OperationResult> done;
    };

    OperationResult submit(std::function<OperationResult()> run);
    void thread_main();
    void tick();
    void run_commands();

    // Check everything, derive and publish (monitor.cpp).
    void observe(std::vector<std::optional<ProbeResult>> results);
    void refresh();
    [[nodiscard]] Topology derive_now();
    void publish(Topology t);
    void republish_flags();
    void log_changes(const Topology& before, const Topology& after);
    std::shared_ptr<const Topology> current() const { return snapshot(); }

    // Automatic failover (monitor_failover.cpp).
    void watch_primary(const Topology& t);
    OperationResult do_failover(const FailoverRequest& r);
    OperationResult perform_failover(const Plan& plan, const FailoverRequest& r);
    std::vector<std::size_t> catch_up(const Plan& plan, Actions& a);
    OperationResult abandon_failover(const Plan& plan, Event e, const Refusal& why, Actions& a);
    void note_promoted(std::size_t new_primary, std::size_t old_primary, bool semi_sync);
    void repoint(const std::vector<std::size_t>& replicas, std::size_t new_primary, Actions& a,
                 const Topology& t, bool semi_sync);
    // Semi-sync on the candidate before its promotion (semi_sync_primary_sql); a failure is logged and
    // recorded, and the promotion goes on: a primary without it is better than none.
    void enable_semi_sync_primary(std::size_t candidate, Actions& a);
    void refuse(const Refusal& r, const Topology& t);

    // Switchover (monitor_switchover.cpp).
    OperationResult do_switchover(const std::optional<std::string>& target);
    OperationResult perform_switchover(const Plan& plan);
    bool catch_up_before_pause(const Plan& plan, Actions& a);
    void undo_switchover(const Plan& plan, Actions& a, bool promoted);

    // Fencing and rejoin (monitor_rejoin.cpp).
    void fence_and_rejoin(const Topology& t);
    bool fence(std::size_t i);
    OperationResult rejoin_one(std::size_t i, bool automatic);
    OperationResult do_rejoin(const std::string& name);
    // Replicating from `primary`, acknowledging semi-synchronously when `semi_sync`.
    ReplicationSource source_of(std::size_t primary, bool semi_sync) const;
    // Whether a change of primary away from (or a rejoin to) `primary` keeps semi-sync: monitor.semi_sync
    // is auto and the cluster runs it (semi_sync_in_use).
    bool keeps_semi_sync(const Topology& t, std::size_t primary) const;

    OperationResult do_set_override(const std::string& name, Override o);
    OperationResult do_add_backends(const std::vector<BackendSpec>& added);

    std::uint64_t record(Event e);
    // Checks everything again, records `e` (with the new primary's position) and only then publishes, so that
    // whoever sees the new topology also finds the event.
    std::uint64_t record_after_checks(Event e, std::size_t new_primary);

    std::vector<BackendSpec> specs_;  // grows (add_backends) on the monitor thread only
    const MonitorSettings settings_;
    ChangeCallback on_change_;
    std::unique_ptr<ProbePool> pool_;
    std::thread thread_;

    // Published state.
    std::atomic<std::shared_ptr<const Topology>> snapshot_;
    mutable std::mutex snapshot_mu_;  // only for wait_for()
    mutable std::condition_variable snapshot_cv_;
    EventLog events_;

    // Commands from other threads, and stopping.
    std::mutex mu_;
    std::condition_variable wake_;
    std::deque<std::shared_ptr<Command>> commands_;
    bool stopping_ = false;
    bool running_ = false;

    // Monitor-thread state.
    std::vector<BackendState> observed_;
    DeriveContext ctx_;
    Overrides overrides_;
    std::set<std::string> former_primaries_;
    std::optional<std::chrono::steady_clock::time_point> last_failover_;
    std::optional<std::chrono::steady_clock::time_point> abandoned_at_;  // last automatic failover given up
    std::uint64_t version_ = 0;
    bool writes_paused_ = false;
    bool failover_in_progress_ = false;
    PrimaryHealth last_health_ = PrimaryHealth::none;
    std::string last_refusal_;
    std::map<std::string, std::chrono::steady_clock::time_point> rejoin_backoff_;  // last failed attempt
};

}  // namespace sluice::health
