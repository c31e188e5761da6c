#include "proxy/admin_commands.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "health/role.hpp"
#include "health/server_status.hpp"
#include "proxy/admin_handlers.hpp"

namespace sluice::proxy::admin {

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

protocol::ErrPacket syntax_error(std::string message) {
    return protocol::ErrPacket::make(protocol::er::kParseError, std::move(message));
}

protocol::TextValue num(std::uint64_t v) {
    return std::to_string(v);
}

std::string ms(std::chrono::milliseconds d) {
    return std::to_string(d.count());
}

std::string yes_no(bool b) {
    return b ? "yes" : "no";
}

std::optional<protocol::ErrPacket> no_args(std::string_view verb, const Args& args) {
    if (args.empty()) return std::nullopt;
    return syntax_error(fmt::format("{} takes no arguments (got '{}')", verb, fmt::join(args, " ")));
}

bool is_word(const std::string& arg, std::string_view word) {
    return upper(arg) == word;
}

namespace {

using Handler = Reply (*)(const Context&, const Args&);

struct Entry {
    std::string_view verb;  // upper case, words separated by one space
    Handler handler;
    bool listed;  // shown in the unknown-command hint; the others are what clients send on their own
};

Table key_values(std::vector<std::pair<std::string, std::string>> kv) {
    Table t{{{"name"}, {"value"}}, {}};
    for (auto& [k, v] : kv) t.rows.push_back({{std::move(k), std::move(v)}});
    return t;
}

Table one_value(std::string column, protocol::TextValue value) {
    return Table{{{std::move(column)}}, {protocol::TextRow{{std::move(value)}}}};
}

// ---- what every client sends on connect ----

Reply version_comment(const Context&, const Args&) {
    return one_value("@@version_comment", "Sluice admin console");
}
Reply select_version(const Context& ctx, const Args&) {
    return one_value("@@version", ctx.version + "-sluice-admin");
}
Reply select_database(const Context&, const Args&) {
    return one_value("DATABASE()", "sluice");
}
Reply accept_set(const Context&, const Args&) {
    return Ok{};
}
Reply show_databases(const Context&, const Args&) {
    return one_value("Database", "sluice");
}
Reply show_tables(const Context&, const Args&) {
    return Table{{{"Tables_in_sluice"}}, {}};  // the mariadb client's auto-rehash asks after USE
}
Reply show_warnings(const Context&, const Args&) {
    return Table{{{"Level"}, {"Code", true}, {"Message"}}, {}};
}

// ---- the console's own commands ----

Reply show_version(const Context& ctx, const Args& args) {
    if (auto e = no_args("SHOW VERSION", args)) return *e;
    return one_value("version", ctx.version);
}

std::string replication_of(const health::BackendState& b, const health::Topology& t) {
    const health::SlaveStatus* link = b.link(t.backends);
    if (!link) return "";
    return fmt::format("IO:{} SQL:{}", health::to_string(link->io_thread), link->sql_running ? "Yes" : "No");
}

Reply show_servers(const Context& ctx, const Args& args) {
    if (auto e = no_args("SHOW SERVERS", args)) return *e;
    auto t = ctx.topology();
    Table out{{{"name"},
               {"host"},
               {"port", true},
               {"role"},
               {"read_only"},
               {"gtid_binlog_pos"},
               {"lag", true},
               {"replication"},
               {"latency_ms"},
               {"failures", true},
               {"error"}},
              {}};
    for (const auto& b : t->backends) {
        protocol::TextRow row;
        row.values = {b.spec.name,
                      b.spec.host,
                      num(b.spec.port),
                      std::string(health::to_string(b.role)),
                      b.status ? protocol::TextValue(b.status->read_only ? "1" : "0") : std::nullopt,
                      b.status ? protocol::TextValue(b.status->gtid_binlog_pos.to_string()) : std::nullopt,
                      b.lag ? protocol::TextValue(std::to_string(*b.lag)) : std::nullopt,
                      replication_of(b, *t),
                      fmt::format("{:.3f}", static_cast<double>(b.latency.count()) / 1000.0),
                      num(static_cast<std::uint64_t>(b.failures)),
                      b.error};
        out.rows.push_back(std::move(row));
    }
    return out;
}

Reply show_stats(const Context& ctx, const Args& args) {
    if (auto e = no_args("SHOW STATS", args)) return *e;
    CountersSnapshot c = ctx.counters();
    Table t{{{"name"}, {"value", true}}, {}};
    auto add = [&t](std::string name, std::uint64_t v) { t.rows.push_back({{std::move(name), num(v)}}); };
    add("client_connections", c.client_connections);
    add("logins_failed", c.logins_failed);
    add("statements", c.statements);
    add("errors", c.errors);
    add("bytes_from_clients", c.bytes_from_clients);
    add("bytes_to_clients", c.bytes_to_clients);
    add("backend_connects", c.backend_connects);
    add("pool_hits", c.pool_hits);
    add("replica_reads", c.replica_reads);
    add("gtid_waits", c.gtid_waits);
    add("gtid_wait_timeouts", c.gtid_wait_timeouts);
    add("read_retries", c.read_retries);
    add("write_retries", c.write_retries);
    add("latency_p50_us", percentile_us(c.latency, 0.50));
    add("latency_p95_us", percentile_us(c.latency, 0.95));
    add("latency_p99_us", percentile_us(c.latency, 0.99));
    return t;
}

std::string utc(std::chrono::system_clock::time_point at) {
    std::time_t tt = std::chrono::system_clock::to_time_t(at);
    return fmt::format("{:%Y-%m-%d %H:%M:%S}", fmt::gmtime(tt));
}

std::string steps_of(const health::Event& e) {
    std::vector<std::string> parts;
    for (const auto& s : e.steps)
        parts.push_back(fmt::format("{}: {} {} {}ms{}", s.backend, s.action, s.ok ? "ok" : "FAILED",
                                    s.duration.count(), s.detail.empty() ? "" : " (" + s.detail + ")"));
    return fmt::format("{}", fmt::join(parts, "; "));
}

Reply show_events(const Context& ctx, const Args& args) {
    if (auto e = no_args("SHOW EVENTS", args)) return *e;
    Table t{{{"id", true},
             {"time"},
             {"kind"},
             {"ok"},
             {"old_primary"},
             {"new_primary"},
             {"backend"},
             {"duration_ms", true},
             {"writes_paused_ms", true},
             {"reason"},
             {"steps"}},
            {}};
    for (const auto& e : ctx.events())
        t.rows.push_back(
            {{num(e.id), utc(e.at), std::string(health::to_string(e.kind)), yes_no(e.ok), e.old_primary,
              e.new_primary, e.backend, ms(e.duration), ms(e.writes_paused), e.reason, steps_of(e)}});
    return t;
}

std::string masked(const std::string& password) {
    return password.empty() ? "" : "********";
}

std::string address(const ListenerConfig& l) {
    return fmt::format("{}:{}", l.address, l.port);
}

Reply show_config(const Context& ctx, const Args& args) {
    if (auto e = no_args("SHOW CONFIG", args)) return *e;
    auto running = ctx.config();
    const Config& c = *running;
    std::vector<std::pair<std::string, std::string>> kv{
        {"source", c.source},
        {"listen", address(c.listen)},
        {"listen.socket", c.listen.socket},
        {"admin.listen", address(c.admin.listen)},
        {"admin.user", c.admin.user},
        {"admin.password", masked(c.admin.password)},
    };
    for (const auto& b : c.backends)
        kv.emplace_back("backends." + b.name, fmt::format("{}:{} priority={} never_promote={}", b.host,
                                                          b.port, b.priority, yes_no(b.never_promote)));
    const auto& m = c.monitor;
    kv.insert(kv.end(), {{"monitor.user", m.user},
                         {"monitor.password", masked(m.password)},
                         {"monitor.interval_ms", ms(m.interval)},
                         {"monitor.connect_timeout_ms", ms(m.connect_timeout)},
                         {"monitor.read_timeout_ms", ms(m.read_timeout)},
                         {"monitor.write_timeout_ms", ms(m.write_timeout)},
                         {"monitor.failcount", std::to_string(m.failcount)},
                         {"monitor.auto_failover", yes_no(m.auto_failover)},
                         {"monitor.verify_primary_failure", yes_no(m.verify_primary_failure)},
                         {"monitor.failover_cooldown_s", std::to_string(m.failover_cooldown.count())},
                         {"monitor.replication_user", m.replication_user},
                         {"monitor.replication_password", masked(m.replication_password)},
                         {"monitor.auto_rejoin", yes_no(m.auto_rejoin)},
                         {"monitor.failover_timeout_ms", ms(m.failover_timeout)},
                         {"monitor.switchover_timeout_ms", ms(m.switchover_timeout)},
                         {"monitor.failover_hold_timeout_ms", ms(m.failover_hold_timeout)},
                         {"monitor.semi_sync", m.semi_sync == health::SemiSync::off ? "off" : "auto"}});
    const RoutingConfig& r = c.routing;
    kv.insert(kv.end(), {{"routing.read_write_split", yes_no(r.read_write_split)},
                         {"routing.max_replication_lag_ms", ms(r.max_replication_lag)},
                         {"routing.fallback", r.fallback == ReadFallback::error ? "error" : "primary"},
                         {"routing.consistency", r.consistency == ConsistencyMode::none     ? "none"
                                                 : r.consistency == ConsistencyMode::global ? "global"
                                                                                            : "session"},
                         {"routing.gtid_wait_timeout_ms", ms(r.gtid_wait_timeout)},
                         {"routing.read_retry", yes_no(r.read_retry)},
                         {"users.fetch_from_backends", yes_no(c.users.fetch_from_backends)},
                         {"users.refresh_min_interval_ms", ms(c.users.refresh_min_interval)}});
    for (const auto& u : c.users.list)
        kv.emplace_back("users." + u.name, fmt::format("host={} password={} backend_user={}", u.host,
                                                       masked(u.password), u.backend_user));
    const auto& l = c.limits;
    kv.insert(kv.end(), {{"limits.workers", std::to_string(l.workers)},
                         {"limits.worker_scheduling", to_string(l.scheduling)},
                         {"limits.max_client_connections", std::to_string(l.max_client_connections)},
                         {"limits.max_backend_connections", std::to_string(l.max_backend_connections)},
                         {"limits.connect_timeout_ms", ms(l.connect_timeout)},
                         {"limits.handshake_timeout_ms", ms(l.handshake_timeout)},
                         {"limits.idle_timeout_ms", ms(l.idle_timeout)},
                         {"limits.max_packet_size", std::to_string(l.max_packet_size)},
                         {"limits.shutdown_timeout_ms", ms(l.shutdown_timeout)},
                         {"logging.level", c.logging.level},
                         {"logging.format", c.logging.format == LogFormat::json ? "json" : "text"},
                         {"logging.file", c.logging.file}});
    return key_values(std::move(kv));
}

// ---- operations ----

Reply switchover(const Context& ctx, const Args& args) {
    std::optional<std::string> target;
    if (args.size() == 2 && is_word(args[0], "TO"))
        target = args[1];
    else if (!args.empty())
        return syntax_error("Usage: SWITCHOVER [TO name]");
    auto run = ctx.switchover;
    return Operation{target ? "SWITCHOVER TO " + *target : "SWITCHOVER",
                     [run, target] { return run(target); }};
}

Reply failover(const Context& ctx, const Args& args) {
    std::optional<std::string> target;
    bool force = false;
    std::size_t i = 0;
    if (i + 1 < args.size() && is_word(args[i], "TO")) {
        target = args[i + 1];
        i += 2;
    }
    if (i < args.size() && is_word(args[i], "FORCE")) {
        force = true;
        ++i;
    }
    if (i != args.size()) return syntax_error("Usage: FAILOVER [TO name] [FORCE]");
    auto run = ctx.failover;
    std::string what = fmt::format("FAILOVER{}{}", target ? " TO " + *target : "", force ? " FORCE" : "");
    return Operation{what, [run, target, force] { return run(target, force); }};
}

Reply rejoin(const Context& ctx, const Args& args) {
    if (args.size() != 1) return syntax_error("Usage: REJOIN name");
    auto run = ctx.rejoin;
    std::string name = args[0];
    return Operation{"REJOIN " + name, [run, name] { return run(name); }};
}

// Longer verbs before the shorter ones they start with is not needed: parse() takes the longest match.
constexpr Entry kCommands[] = {
    {"SHOW SERVERS", show_servers, true},
    {"SHOW STATS", show_stats, true},
    {"SHOW EVENTS", show_events, true},
    {"SHOW CONFIG", show_config, true},
    {"SHOW VERSION", show_version, true},
    {"SWITCHOVER", switchover, true},
    {"FAILOVER", failover, true},
    {"REJOIN", rejoin, true},
    {"SET SERVER", set_server, true},
    {"SHOW POOLS", show_pools, true},
    {"SHOW SESSIONS", show_sessions, true},
    {"SHOW QUERY DIGEST", show_query_digest, true},
    {"PAUSE", pause, true},
    {"RESUME", resume, true},
    {"KILL SESSION", kill_session, true},
    {"SHUTDOWN", shutdown, true},
    {"RELOAD CONFIG", reload_config, true},
    {"SELECT @@VERSION_COMMENT", version_comment, false},
    {"SELECT @@VERSION", select_version, false},
    {"SELECT VERSION()", select_version, false},
    {"SELECT DATABASE()", select_database, false},
    {"SET", accept_set, false},
    {"SHOW DATABASES", show_databases, false},
    {"SHOW SCHEMAS", show_databases, false},
    {"SHOW WARNINGS", show_warnings, false},
    {"SHOW TABLES", show_tables, false},
};

const Entry* find(const std::vector<std::string>& words, std::size_t* verb_words) {
    const Entry* best = nullptr;
    std::size_t best_len = 0;
    for (const Entry& e : kCommands) {
        std::vector<std::string> verb = split_words(e.verb);
        if (verb.size() > words.size() || verb.size() <= best_len) continue;
        bool match = std::equal(verb.begin(), verb.end(), words.begin(),
                                [](const std::string& v, const std::string& w) { return v == upper(w); });
        if (match) {
            best = &e;
            best_len = verb.size();
        }
    }
    *verb_words = best_len;
    return best;
}

std::string_view trim(std::string_view sql) {
    auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!sql.empty() && space(sql.front())) sql.remove_prefix(1);
    while (!sql.empty() && (space(sql.back()) || sql.back() == ';')) sql.remove_suffix(1);
    return sql;
}

}  // namespace

std::vector<std::string> split_words(std::string_view sql) {
    sql = trim(sql);
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < sql.size()) {
        while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
        std::size_t start = i;
        while (i < sql.size() && !std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
        if (i > start) words.emplace_back(sql.substr(start, i - start));
    }
    return words;
}

std::optional<Parsed> parse(std::string_view sql) {
    auto words = split_words(sql);
    std::size_t n = 0;
    const Entry* e = find(words, &n);
    if (!e) return std::nullopt;
    return Parsed{std::string(e->verb), Args(words.begin() + static_cast<std::ptrdiff_t>(n), words.end())};
}

std::vector<std::string> listed_verbs() {
    std::vector<std::string> out;
    for (const Entry& e : kCommands)
        if (e.listed) out.emplace_back(e.verb);
    return out;
}

Reply dispatch(const Context& ctx, std::string_view sql) {
    auto words = split_words(sql);
    std::size_t n = 0;
    const Entry* e = find(words, &n);
    if (!e)
        return syntax_error(
            fmt::format("Unknown admin command: '{}'. Try: {}", trim(sql), fmt::join(listed_verbs(), ", ")));
    return e->handler(ctx, Args(words.begin() + static_cast<std::ptrdiff_t>(n), words.end()));
}

}  // namespace sluice::proxy::admin
