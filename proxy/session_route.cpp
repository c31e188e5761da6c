// ClientSession, routing: a job's way from route() to the backend — connect, replay, prepare, wait for the
// session's last write — one step at a time (advance()), each step resumed by the event it waits for.

#include <fmt/format.h>

#include "protocol/inspect.hpp"
#include "protocol/packet.hpp"
#include "proxy/client_session.hpp"
#include "proxy/log.hpp"
#include "proxy/worker.hpp"
#include "router/route.hpp"

namespace sluice::proxy {

namespace {

bool needs_primary_hold(const router::RoutePlan& plan) {
    return plan.error == router::RouteError::no_primary;
}

}  // namespace

void ClientSession::advance() {
    while (job_ && !internal_ && state_ != State::closed) {
        Job& j = *job_;
        if (j.sent) return;
        if (!j.routed && !route_job(j)) return;
        if (j.backend >= slots_.size())
            slots_.resize(worker_.runtime().backends.size());  // RELOAD CONFIG added it
        Slot& s = slots_[j.backend];
        if (!s.conn && !open_slot(j.backend)) return;
        if (!job_ || !s.conn) return;  // open_slot failed the job, or waits for a slot
        if (s.conn->state() != BackendConn::State::ready) return;  // on_backend_ready() comes back here
        if (s.fresh) {
            s.fresh = false;
            s.missed.clear();
            for (std::string_view sql : router_.history.replay()) s.missed.emplace_back(sql);
        }
        if (j.plan.needs_gtid_wait && s.waited_gtid != j.plan.wait_gtid) {
            auto timeout = std::chrono::duration<double>(worker_.routing().gtid_wait_timeout);
            Counters::add(worker_.counters().gtid_waits);
            start_internal(
                Internal::Kind::gtid_wait, j.backend,
                fmt::format("SELECT MASTER_GTID_WAIT('{}', {:.3f})", j.plan.wait_gtid, timeout.count()));
            return;
        }
        if (!s.missed.empty()) {
            std::string sql = std::move(s.missed.front());
            s.missed.erase(s.missed.begin());
            start_internal(Internal::Kind::replay, j.backend, std::move(sql));
            return;
        }
        if (j.client_stmt != 0 && j.command.id() != protocol::CommandByte::stmt_prepare &&
            !s.statements.contains(j.client_stmt)) {
            auto it = prepared_.find(j.client_stmt);
            if (it != prepared_.end()) {
                start_internal_prepare(j.backend, it->second.sql);
                return;
            }
        }
        send_job(j);
        return;
    }
}

bool ClientSession::route_job(Job& j) {
    if (j.retry_at) {
        if (std::chrono::steady_clock::now() < *j.retry_at) return false;  // the clock comes back
        j.retry_at.reset();
    }
    router::TopologyView& live = worker_.view();
    if (j.force_primary) {
        auto p = live.primary();
        if (!p) return hold(j, "no primary for a read the replica could not catch up with");
        j.plan = router::RoutePlan{};
        j.plan.target = router::Target::primary;
        j.plan.backend = p;
        j.plan.reason = "replica behind the session's last write: primary";
    } else {
        if (j.st && !consistency_step(j)) return false;
        if (j.excluded != 0) {
            router::TopologyView view = live;
            for (std::size_t i = 0; i < view.backends.size() && i < 64; ++i)
                if ((j.excluded >> i) & 1) view.backends[i].healthy = false;
            j.plan = router::route(*j.st, router_, view, rr_);
        } else {
            j.plan = router::route(*j.st, router_, live, rr_);
        }
    }
    if (!j.plan.ok()) {
        if (needs_primary_hold(j.plan)) return hold(j, j.plan.reason);
        log(Component::router).info("{}cannot route: {}", ctx(id_), j.plan.reason);
        fail_job(protocol::ErrPacket::make(protocol::er::kBackendUnavailable,
                                           fmt::format("No backend for this statement: {}", j.plan.reason)));
        return false;
    }
    std::size_t target = *j.plan.backend;
    // A switchover or failover is under way: what goes to the primary outside a transaction waits for it.
    if (target == worker_.primary_index() && worker_.writes_on_hold() && !router_.in_transaction)
        return hold(j, "primary changing");
    j.hold_until.reset();
    j.backend = target;
    j.routed = true;
    if (log(Component::router).should_log(spdlog::level::trace))  // ctx() would format for nothing
        log(Component::router).trace("{}{} -> {}", ctx(id_), j.command.name(), j.plan.reason);
    return true;
}

bool ClientSession::hold(Job& j, std::string_view why) {
    if (j.retry_error) {  // a read being run again does not wait: nowhere else to go now
        protocol::ErrPacket err = *j.retry_error;
        fail_job(err);
        return false;
    }
    auto now = std::chrono::steady_clock::now();
    auto limit = worker_.runtime().config.monitor.failover_hold_timeout;
    if (!j.hold_until) {
        j.hold_until = now + limit;
        log(Component::router).debug("{}holding {}: {}", ctx(id_), j.command.name(), why);
    }
    if (now < *j.hold_until) return false;  // the clock and topology changes come back to route_job()
    fail_job(protocol::ErrPacket::make(
        protocol::er::kBackendUnavailable,
        fmt::format("No primary to run this statement on: none was reachable within {} ms", limit.count())));
    return false;
}

// A read outside a transaction whose backend failed before the client saw any of its answer runs once more,
// elsewhere; nothing else may be repeated (its effect on the failed server is unknown).
bool ClientSession::may_retry(const Job& j) const {
    if (!worker_.routing().read_retry || j.retries > 0 || j.to_client || !j.st) return false;
    if (router_.in_transaction || !router_.autocommit) return false;
    return j.st->placement == router::Placement::replica_ok &&
           j.command.id() != protocol::CommandByte::stmt_prepare;
}

bool ClientSession::retry_refused_write(Job& j) {
    const auto& err = tracker_->error();
    if (!err || err->code != protocol::er::kOptionPreventsStatement.code || j.to_client || !j.st)
        return false;
    if (j.plan.target != router::Target::primary || router_.in_transaction || !router_.autocommit ||
        j.st->has(router::Flag::multi_statement) || j.read_only_retries >= 20)
        return false;
    ++j.read_only_retries;
    Counters::add(worker_.counters().write_retries);
    log(Component::router)
        .info("{}the primary refused a statement as read-only (a switchover?): running it again shortly",
              ctx(id_, backend_name(j.backend)));
    count_outstanding(j, false);
    tracker_.reset();
    j.sent = false;
    j.routed = false;
    j.gtid_known = false;
    j.retry_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
    return true;
}

void ClientSession::send_job(Job& j) {
    Slot& s = slots_[j.backend];
    std::vector<std::uint8_t> out = worker_.buffers().take();
    if (j.client_stmt != 0 && j.command.id() != protocol::CommandByte::stmt_prepare)
        rewrite_statement_payload(j, s, out);
    else
        protocol::append_packets(out, j.cmd.first_seq, protocol::as_view(j.cmd.payload));
    s.conn->conn().write_copy(protocol::as_view(out));
    worker_.buffers().give_back(std::move(out));
    j.sent = true;
    publish_backend(s.conn->thread_id(), j.backend);
    if (!j.command.expects_response()) {  // COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA
        finish_job();
        return;
    }
    count_outstanding(j, true);
    tracker_.emplace(j.command, caps_);
    j.started = std::chrono::steady_clock::now();
    // The worker's token log is this statement's when it is of these very bytes: the classification filled
    // it, and no other session's has since (its payload, alive meanwhile, lies elsewhere). Used once: a
    // retry lexes again.
    std::string_view payload = protocol::as_view(j.cmd.payload);
    router::TokenLog& log = worker_.token_log();
    bool mine =
        payload.size() > 1 && log.sql.data() == payload.data() + 1 && log.sql.size() == payload.size() - 1;
    probe_.started(payload, backend_name(j.backend), j.started, mine ? &log : nullptr, router_.lexer_options);
    if (mine) log.reset({});
    scanner_ = protocol::PacketScanner(worker_.limits().max_packet_size);
    scanner_.expect_sequence(static_cast<std::uint8_t>(j.cmd.last_seq + 1));
    s.conn->conn().start_reading();
}

void ClientSession::on_topology_changed() {
    if (job_ && !job_->sent && !internal_ && (job_->hold_until || job_->retry_at)) {
        job_->retry_at.reset();  // the primary may have changed: route again now
        advance();
    }
}

}  // namespace sluice::proxy
