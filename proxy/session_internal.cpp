// ClientSession: statements Sluice runs on a backend for the session before a client command — replaying the
// session commands a connection missed, learning the GTID of the session's last write, waiting for it on a
// replica, preparing a statement where it is about to execute. Their responses are read here, whole (they are
// small), and never reach the client.

#include <fmt/format.h>

#include "protocol/byte_reader.hpp"
#include "protocol/packet.hpp"
#include "protocol/prepare_ok.hpp"
#include "proxy/client_session.hpp"
#include "proxy/log.hpp"
#include "proxy/worker.hpp"

namespace sluice::proxy {

namespace {

std::string_view kind_name(std::uint8_t k) {
    static constexpr std::string_view names[] = {"replay", "last_gtid", "primary_position", "gtid_wait",
                                                 "prepare"};
    return k < std::size(names) ? names[k] : "?";
}

std::optional<std::string> first_value(std::string_view row) {
    protocol::ByteReader r(row);
    if (!row.empty() && static_cast<std::uint8_t>(row[0]) == 0xFB) return std::nullopt;  // NULL
    auto v = r.lenenc_string();
    if (!v) return std::nullopt;
    return std::string(*v);
}

}  // namespace

void ClientSession::start_internal(Internal::Kind kind, std::size_t backend, std::string sql) {
    internal_ = std::make_unique<Internal>();
    Internal& in = *internal_;
    in.kind = kind;
    in.backend = backend;
    in.sql = std::move(sql);
    // A replayed session command or a prepared statement is state the pool must reset.
    if (kind == Internal::Kind::replay || kind == Internal::Kind::prepare) slots_[backend].dirty = true;
    auto command =
        kind == Internal::Kind::prepare ? protocol::CommandByte::stmt_prepare : protocol::CommandByte::query;
    std::string payload(1, static_cast<char>(command));
    payload += in.sql;
    in.tracker.emplace(protocol::Command{static_cast<std::uint8_t>(command)}, caps_);
    in.framer.expect_sequence(1);
    std::vector<std::uint8_t> out;
    protocol::append_packets(out, 0, payload);
    if (log(Component::router).should_log(spdlog::level::trace))
        log(Component::router)
            .trace("{}{}: {}", ctx(id_, backend_name(backend)), kind_name(static_cast<std::uint8_t>(kind)),
                   in.sql);
    BackendConn& conn = *slots_[backend].conn;
    conn.conn().write(std::move(out));
    conn.conn().start_reading();
}

void ClientSession::start_internal_prepare(std::size_t backend, const std::string& sql) {
    start_internal(Internal::Kind::prepare, backend, sql);
}

void ClientSession::on_internal_data(std::string_view data) {
    Internal& in = *internal_;
    in.framer.feed(data);
    while (internal_) {
        auto next = in.framer.next();
        if (!next) {
            log(Component::proxy)
                .error("{}malformed response to '{}' ({}): dropping the connection",
                       ctx(id_, backend_name(in.backend)), in.sql, protocol::to_string(next.error()));
            std::size_t b = in.backend;
            internal_.reset();
            lose_slot(b, "malformed response");
            if (job_) {
                job_->routed = false;
                job_->exclude(b);
            }
            advance();
            return;
        }
        if (!next->has_value()) return;
        std::string_view payload = (*next)->payload;
        std::size_t rows = in.tracker->rows();
        auto status = in.tracker->on_server_payload(payload);
        if (in.tracker->rows() > rows && rows == 0) in.value = first_value(payload);
        if (status == protocol::TrackerStatus::need_server) continue;
        if (status != protocol::TrackerStatus::complete) {
            log(Component::proxy)
                .error("{}unexpected response to '{}': dropping the connection",
                       ctx(id_, backend_name(in.backend)), in.sql);
            std::size_t b = in.backend;
            internal_.reset();
            lose_slot(b, "protocol error");
            if (job_) job_->routed = false;
            advance();
            return;
        }
        on_internal_done();
        return;
    }
}

void ClientSession::on_internal_done() {
    Internal in = std::move(*internal_);
    internal_.reset();
    const std::string name = backend_name(in.backend);
    Slot& slot = slots_[in.backend];
    const auto& err = in.tracker->error();
    if (!job_) return;
    Job& j = *job_;
    switch (in.kind) {
        case Internal::Kind::replay:
            if (err) {
                log(Component::router)
                    .warn("{}replaying '{}' failed: {} {}", ctx(id_, name), in.sql, err->code, err->message);
                if (in.backend == worker_.primary_index()) {
                    fail_job(*err);
                    return;
                }
                lose_slot(in.backend, "a session command failed on it");
                j.routed = false;
                j.exclude(in.backend);
            }
            break;
        case Internal::Kind::last_gtid:
        case Internal::Kind::primary_position:
            if (err) {
                log(Component::router)
                    .warn("{}cannot read the GTID of the session's last write: {}", ctx(id_, name),
                          err->message);
                j.force_primary = true;
            } else if (!in.value || in.value->empty()) {
                router_.wrote = false;  // nothing reached the binlog: nothing to wait for
                router_.last_write_gtid.reset();
            } else {
                router_.wrote = true;
                router_.last_write_gtid = *in.value;
            }
            j.routed = false;
            break;
        case Internal::Kind::gtid_wait:
            if (!err && in.value && *in.value == "0") {
                slot.waited_gtid = j.plan.wait_gtid;
            } else {
                log(Component::router)
                    .debug("{}replica not at GTID {} within gtid_wait_timeout{}: reading from the primary",
                           ctx(id_, name), j.plan.wait_gtid, err ? " (" + err->message + ")" : "");
                Counters::add(worker_.counters().gtid_wait_timeouts);
                j.force_primary = true;
                j.routed = false;
            }
            break;
        case Internal::Kind::prepare:
            if (err) {
                log(Component::router)
                    .info("{}preparing statement {} failed: {}", ctx(id_, name), j.client_stmt, err->message);
                if (in.backend == worker_.primary_index()) {
                    fail_job(*err);
                    return;
                }
                j.force_primary = true;
                j.routed = false;
            } else if (const auto& ok = in.tracker->prepare_ok()) {
                slot.statements[j.client_stmt] = ok->statement_id;
                slot.types_sent.erase(j.client_stmt);
            }
            break;
    }
    advance();
}

bool ClientSession::consistency_step(Job& j) {
    const RoutingConfig& cfg = worker_.routing();
    if (cfg.consistency == ConsistencyMode::none || j.gtid_known) return true;
    if (router_.in_transaction || !router_.autocommit) return true;
    const router::Statement& st = *j.st;
    bool may_go_to_replica = st.placement == router::Placement::replica_ok ||
                             st.verb == router::Verb::execute || st.hint.kind == router::HintKind::replica;
    if (!may_go_to_replica) return true;
    auto primary = worker_.view().primary();
    bool have_primary = primary && slots_[*primary].conn &&
                        slots_[*primary].conn->state() == BackendConn::State::ready &&
                        slots_[*primary].missed.empty();
    if (cfg.consistency == ConsistencyMode::global) {
        j.gtid_known = true;
        if (!have_primary) {
            router_.wrote = true;  // no position to wait for: the router sends the read to the primary
            router_.last_write_gtid.reset();
            return true;
        }
        start_internal(Internal::Kind::primary_position, *primary, "SELECT @@gtid_binlog_pos");
        return false;
    }
    if (!router_.wrote || router_.last_write_gtid) return true;
    j.gtid_known = true;
    if (!have_primary) return true;  // the router reads from the primary
    start_internal(Internal::Kind::last_gtid, *primary, "SELECT @@last_gtid");
    return false;
}

}  // namespace sluice::proxy
