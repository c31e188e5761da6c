#pragma once
// One thread per backend, each with its own persistent connection, so that a frozen server (which accepts
// TCP and never answers) delays nobody else's check: check_all() waits for the answers only until its
// deadline and reports the late ones as failed checks.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "health/backend_spec.hpp"
#include "health/probe.hpp"

namespace sluice::health {

class ProbePool {
  public:
    ProbePool(std::vector<BackendSpec> backends, MonitorSettings settings);
    ~ProbePool();
    ProbePool(const ProbePool&) = delete;
    ProbePool& operator=(const ProbePool&) = delete;

    // Starts a check of every backend whose previous check has finished, then waits until every backend has
    // an answer or `wait` has passed. One entry per backend, in order: the result, or nullopt when no answer
    // came in time (a check still hanging from an earlier call gives nullopt until it ends).
    [[nodiscard]] std::vector<std::optional<ProbeResult>> check_all(std::chrono::milliseconds wait);

    // A backend added to the config (RELOAD CONFIG): checked from the next check_all() on. Same thread as
    // check_all().
    void add(BackendSpec backend);

    // Stops and joins the threads; a thread inside a check finishes it first (bounded by the timeouts).
    void stop();

  private:
    struct Slot {
        BackendSpec spec;
        bool requested = false;
        bool busy = false;
        std::optional<ProbeResult> result;
        std::thread thread;
    };
    void work(Slot& slot);

    const MonitorSettings settings_;
    std::mutex mu_;
    std::condition_variable work_cv_;
    std::condition_variable done_cv_;
    bool stopping_ = false;
    std::vector<std::unique_ptr<Slot>> slots_;
};

}  // namespace sluice::health
