#include "health/actions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "health/log.hpp"

namespace sluice::health {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kActionReadTimeoutMs = 5000;
constexpr const char* kHistorySql =
    "SELECT CONCAT_WS(',', NULLIF(@@gtid_slave_pos, ''), NULLIF(@@gtid_binlog_state, ''))";

std::chrono::milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

std::string describe_error(const SqlError& e) {
    return fmt::format("{} {}", e.code, e.message);
}

}  // namespace

Actions::Actions(const MonitorSettings& settings, Event& event) : settings_(settings), event_(event) {
    // STOP SLAVE waits for the SQL thread to finish the event group it is applying, and RESET SLAVE ALL
    // removes relay logs: longer than a check may take. The servers answered the last check, so a frozen one
    // is unlikely.
    settings_.read_timeout =
        std::max(settings_.read_timeout, std::chrono::milliseconds(kActionReadTimeoutMs));
}

SqlConn* Actions::conn(const BackendSpec& b, SqlError& error) {
    auto& c = conns_[b.name];
    if (!c) c = std::make_unique<SqlConn>();
    if (!c->connected())
        if (auto e = c->connect(b, settings_)) {
            error = *e;
            return nullptr;
        }
    return c.get();
}

void Actions::step(const BackendSpec& b, const std::string& action, bool ok, const std::string& detail,
                   Clock::time_point start) {
    EventStep s{b.name, action, ok, detail, since(start)};
    logger()->log(ok ? spdlog::level::info : spdlog::level::err, "backend={}: {} {} ({} ms){}", b.name,
                  action, ok ? "ok" : "FAILED", s.duration.count(), detail.empty() ? "" : ": " + detail);
    event_.steps.push_back(std::move(s));
}

bool Actions::run(const BackendSpec& b, const std::string& action, const std::vector<std::string>& sql) {
    const auto start = Clock::now();
    SqlError error;
    SqlConn* c = conn(b, error);
    if (!c) {
        step(b, action, false, "connect: " + describe_error(error), start);
        return false;
    }
    for (const std::string& statement : sql) {
        if (auto e = c->exec(statement)) {
            c->close();
            step(b, action, false, statement + ": " + describe_error(*e), start);
            return false;
        }
    }
    step(b, action, true, "", start);
    return true;
}

std::optional<std::string> Actions::read(const BackendSpec& b, const std::string& action,
                                         const std::string& sql) {
    const auto start = Clock::now();
    SqlError error;
    SqlConn* c = conn(b, error);
    std::optional<std::string> value;
    if (c)
        if (auto e = c->scalar(sql, value)) error = *e, c = nullptr;
    if (!c) {
        step(b, action, false, describe_error(error), start);
        return std::nullopt;
    }
    step(b, action, true, value.value_or("NULL"), start);
    return value.value_or("");
}

std::optional<bool> Actions::relay_applied_once(SqlConn& c, const std::string& connection,
                                                std::string& detail) {
    std::vector<RowMap> rows;
    std::optional<std::string> slave_pos;
    if (auto e = c.query("SHOW ALL SLAVES STATUS", rows)) return detail = describe_error(*e), false;
    if (auto e = c.scalar("SELECT @@gtid_slave_pos", slave_pos)) return detail = describe_error(*e), false;
    for (const RowMap& row : rows) {
        auto link = slave_status_from_row(row);
        if (!link || link->connection_name != connection) continue;
        auto applied = GtidSet::parse(slave_pos.value_or(""));
        if (!applied) return detail = "gtid_slave_pos does not parse", false;
        detail = fmt::format("received {}, applied {}", link->gtid_io_pos.to_string(), applied->to_string());
        if (applied->contains(link->gtid_io_pos)) return true;
        if (!link->sql_running) return detail += ": SQL thread stopped: " + link->last_sql_error, false;
        return std::nullopt;
    }
    return detail = "no replication connection '" + connection + "'", false;
}

bool Actions::wait_relay_applied(const BackendSpec& b, const std::string& connection,
                                 std::chrono::milliseconds timeout) {
    const auto start = Clock::now();
    SqlError error;
    SqlConn* c = conn(b, error);
    if (!c) {
        step(b, "wait for relay log applied", false, "connect: " + describe_error(error), start);
        return false;
    }
    std::string detail;
    for (;;) {
        std::optional<bool> done = relay_applied_once(*c, connection, detail);
        if (!done && since(start) >= timeout) detail += ": timed out", done = false;
        if (done) {
            step(b, "wait for relay log applied", *done, detail, start);
            return *done;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

bool Actions::wait_gtid(const BackendSpec& b, const GtidSet& target, std::chrono::milliseconds timeout) {
    const auto start = Clock::now();
    const std::string action = "wait for " + target.to_string();
    SqlError error;
    SqlConn* c = conn(b, error);
    std::optional<std::string> got;
    // Slices well under the read timeout, so that the connection's own timeout never fires on a slow wait.
    const std::string sql = fmt::format("SELECT MASTER_GTID_WAIT({}, 0.2)", quote(target.to_string()));
    while (c) {
        if (auto e = c->scalar(sql, got)) {
            error = *e;
            break;
        }
        if (got == "0") {
            std::optional<std::string> pos;
            // Its whole history (what it applied and what its binlog holds), as ServerStatus::history().
            if (auto e = c->scalar(kHistorySql, pos)) {
                error = *e;
                break;
            }
            auto applied = GtidSet::parse(pos.value_or(""));
            bool whole = applied && applied->contains(target);
            step(b, action, whole,
                 whole ? ""
                       : "reached the sequence numbers with other GTIDs: diverged at " + pos.value_or("?"),
                 start);
            return whole;
        }
        if (since(start) >= timeout) {
            step(b, action, false, "timed out", start);
            return false;
        }
    }
    step(b, action, false, describe_error(error), start);
    return false;
}

}  // namespace sluice::health
