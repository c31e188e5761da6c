#include "health/probe_pool.hpp"

#include <mysql.h>
#include <pthread.h>

#include <exception>
#include <string>

namespace sluice::health {

ProbePool::ProbePool(std::vector<BackendSpec> backends, MonitorSettings settings)
    : settings_(std::move(settings)) {
    mysql_library_init(0, nullptr, nullptr);  // before any thread calls mysql_init()
    for (BackendSpec& b : backends) {
        auto slot = std::make_unique<Slot>();
        slot->spec = std::move(b);
        slots_.push_back(std::move(slot));
    }
    for (auto& slot : slots_) slot->thread = std::thread([this, s = slot.get()] { work(*s); });
}

void ProbePool::add(BackendSpec backend) {
    auto slot = std::make_unique<Slot>();
    slot->spec = std::move(backend);
    Slot* raw = slot.get();
    std::lock_guard lock(mu_);
    if (stopping_) return;
    slots_.push_back(std::move(slot));
    raw->thread = std::thread([this, raw] { work(*raw); });
}

ProbePool::~ProbePool() {
    stop();
}

void ProbePool::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    work_cv_.notify_all();
    for (auto& slot : slots_)
        if (slot->thread.joinable()) slot->thread.join();
}

void ProbePool::work(Slot& slot) {
    pthread_setname_np(pthread_self(), "sluice-probe");
    mysql_thread_init();
    {
        SqlConn conn;
        std::unique_lock lock(mu_);
        for (;;) {
            work_cv_.wait(lock, [&] { return stopping_ || slot.requested; });
            if (stopping_) break;
            slot.requested = false;
            slot.busy = true;
            lock.unlock();
            ProbeResult r;
            try {
                r = probe_backend(conn, slot.spec, settings_);
            } catch (const std::exception& e) {  // nothing may escape a thread; a failed check it is
                conn.close();
                r.error = {0, std::string("check failed: ") + e.what()};
            }
            lock.lock();
            slot.busy = false;
            slot.result = std::move(r);
            done_cv_.notify_all();
        }
    }
    mysql_thread_end();
}

std::vector<std::optional<ProbeResult>> ProbePool::check_all(std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    std::unique_lock lock(mu_);
    for (auto& slot : slots_) {
        if (slot->busy || slot->requested) continue;
        slot->result.reset();  // an answer that came after the last deadline: check afresh
        slot->requested = true;
    }
    work_cv_.notify_all();
    done_cv_.wait_until(lock, deadline, [&] {
        for (auto& slot : slots_)
            if (!slot->result) return false;
        return true;
    });
    std::vector<std::optional<ProbeResult>> out;
    for (auto& slot : slots_) {
        out.push_back(std::move(slot->result));
        slot->result.reset();
    }
    return out;
}

}  // namespace sluice::health
