// ClientSession: its backend connections, one slot per backend — taken from the pool or opened under the
// backend's gate, given back clean, or dropped with what the router must forget about them.

#include <fmt/format.h>

#include "proxy/backend_pool.hpp"
#include "proxy/client_session.hpp"
#include "proxy/log.hpp"
#include "proxy/worker.hpp"

namespace sluice::proxy {

const std::string& ClientSession::backend_name(std::size_t index) const {
    return worker_.runtime().backends[index].spec.name;
}

bool ClientSession::open_slot(std::size_t index) {
    Runtime& rt = worker_.runtime();
    Slot& s = slots_[index];
    PoolKey key{index, backend_login_->user, backend_login_->database, backend_login_->capabilities,
                backend_login_->charset};
    if (auto pooled = worker_.pool().acquire(key)) {
        Counters::add(worker_.counters().pool_hits);
        pooled->set_listener(this);
        s = Slot{};
        s.conn = std::move(pooled);
        if (job_) job_->slot_wait_until.reset();
        return true;
    }
    const BackendAddress& backend = rt.backends[index];
    BackendGate& gate = *rt.gates[index];
    auto now = std::chrono::steady_clock::now();
    auto verdict = gate.try_open(now);
    if (verdict == BackendGate::Verdict::full && worker_.pool().evict_one(index))
        verdict = gate.try_open(now);
    switch (verdict) {
        case BackendGate::Verdict::open:
            if (job_) job_->slot_wait_until.reset();
            Counters::add(worker_.counters().backend_connects);
            s = Slot{};
            s.conn = std::make_unique<BackendConn>(worker_.loop(), worker_.chunks(), index, backend, gate,
                                                   *backend_login_, this, worker_.limits().connect_timeout);
            s.conn->count_in(worker_.pool_stats().at(index));
            s.conn->start();
            return true;
        case BackendGate::Verdict::full: {
            // Wait for a slot (the clock retries) up to connect_timeout.
            auto err = protocol::ErrPacket::make(
                protocol::er::kConCountError,
                fmt::format("Too many connections to backend '{}' (max_backend_connections {})",
                            backend.spec.name, worker_.limits().max_backend_connections));
            if (!job_) {
                send_err(err, next_seq_, true);
                return false;
            }
            if (!job_->slot_wait_until) job_->slot_wait_until = now + worker_.limits().connect_timeout;
            if (now >= *job_->slot_wait_until) fail_job(err);
            return false;
        }
        case BackendGate::Verdict::backing_off: {
            auto err = protocol::ErrPacket::make(
                protocol::er::kBackendUnavailable,
                fmt::format("Can't connect to backend '{}' ({}:{}): it failed recently; next try in {} ms",
                            backend.spec.name, backend.spec.host, backend.spec.port,
                            gate.retry_in(now).count()));
            if (!job_) {
                send_err(err, next_seq_, true);
                return false;
            }
            // The router will not choose it again while it backs off: route anew (a write waits for the
            // primary up to failover_hold_timeout).
            job_->routed = false;
            if (!hold(*job_, err.message)) return false;
            return false;
        }
    }
    return false;
}

void ClientSession::count_outstanding(Job& j, bool on) {
    if (j.counted == on) return;
    j.counted = on;
    auto& backends = worker_.view().backends;
    if (j.backend >= backends.size()) return;
    std::uint32_t& n = backends[j.backend].outstanding;
    if (on)
        ++n;
    else if (n > 0)
        --n;
}

void ClientSession::publish_backend(std::uint32_t thread, std::size_t backend) {
    if (thread == published_thread_ && backend == published_backend_) return;
    published_thread_ = thread;
    published_backend_ = backend;
    worker_.runtime().sessions.set_backend(id_, thread, backend);
}

void ClientSession::lose_slot(std::size_t index, std::string_view why) {
    Slot& s = slots_[index];
    if (s.conn) {
        log(Component::proxy).debug("{}dropping the connection: {}", ctx(id_, backend_name(index)), why);
        worker_.graveyard().bury(std::move(s.conn));
    }
    s = Slot{};
    if (router_.on_backend_lost(backend_name(index)))
        log(Component::proxy)
            .warn("{}the session's transaction, temporary tables or locks on it are gone with the connection",
                  ctx(id_, backend_name(index)));
}

void ClientSession::release_slots() {
    for (Slot& s : slots_) {
        if (s.conn && s.conn->state() == BackendConn::State::ready)
            worker_.pool().release(std::move(s.conn), !s.dirty);
        else if (s.conn)
            worker_.graveyard().bury(std::move(s.conn));
        s = Slot{};
    }
    publish_backend(0, 0);
}

}  // namespace sluice::proxy
