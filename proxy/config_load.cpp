// The config schema: every key Sluice reads, with its default and its limits, in one place.

#include <fmt/format.h>
#include <sys/un.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "proxy/config.hpp"
#include "proxy/config_reader.hpp"
#include "proxy/config_values.hpp"

namespace sluice::proxy {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::size_t kMaxSocketPath = sizeof(sockaddr_un::sun_path) - 1;  // 107 on Linux

ListenerConfig read_listener(MapReader& r, const ListenerConfig& def) {
    ListenerConfig l;
    l.address = r.string("address", def.address);
    if (!is_ip_literal(l.address))
        r.fail_here("address", fmt::format("'{}' is not an IP address", l.address));
    l.port = r.port("port", def.port);
    return l;
}

AdminConfig read_admin(MapReader& r) {
    AdminConfig a;
    a.listen = read_listener(r, a.listen);
    a.user = r.string("user", a.user);
    a.password = r.required_string("password");
    r.finish();
    return a;
}

health::BackendSpec read_backend(MapReader& r) {
    health::BackendSpec b;
    b.name = r.required_string("name");
    b.host = r.required_string("host");
    b.port = r.port("port", 3306);
    b.priority = static_cast<int>(r.integer("priority", 0, -1000000, 1000000));
    b.never_promote = r.boolean("never_promote", false);
    r.finish();
    return b;
}

std::vector<health::BackendSpec> read_backends(MapReader& top, const std::string& source) {
    auto node = top.child("backends");
    if (!node) top.fail_here("backends", "is required: list at least one backend");
    if (!node->IsSequence()) top.fail_at(*node, "backends", "expected a list of backends");
    if (node->size() == 0) top.fail_at(*node, "backends", "list at least one backend");
    std::vector<health::BackendSpec> out;
    std::set<std::string> names, addresses;
    for (std::size_t i = 0; i < node->size(); ++i) {
        YAML::Node item = (*node)[i];
        MapReader r(item, fmt::format("backends[{}]", i), source);
        health::BackendSpec b = read_backend(r);
        if (!names.insert(b.name).second)
            r.fail_at(item["name"], "name", fmt::format("'{}' is used by another backend", b.name));
        if (!addresses.insert(fmt::format("{}:{}", b.host, b.port)).second)
            r.fail_here("port", fmt::format("{}:{} is already another backend", b.host, b.port));
        out.push_back(std::move(b));
    }
    return out;
}

health::MonitorSettings read_monitor(MapReader& r) {
    health::MonitorSettings m;
    const milliseconds min_timeout{10};
    m.user = r.required_string("user");
    m.password = r.string("password", "");
    m.interval = r.duration("interval", m.interval, milliseconds{50});
    m.connect_timeout = r.duration("connect_timeout", m.connect_timeout, min_timeout);
    m.read_timeout = r.duration("read_timeout", m.read_timeout, min_timeout);
    m.write_timeout = r.duration("write_timeout", m.write_timeout, min_timeout);
    m.failcount = static_cast<int>(r.integer("failcount", m.failcount, 1, 1000));
    m.auto_failover = r.boolean("auto_failover", m.auto_failover);
    m.verify_primary_failure = r.boolean("verify_primary_failure", m.verify_primary_failure);
    m.failover_cooldown = std::chrono::duration_cast<seconds>(
        r.duration("failover_cooldown", m.failover_cooldown, milliseconds{0}));
    m.replication_user = r.string("replication_user", "");
    m.replication_password = r.string("replication_password", "");
    m.auto_rejoin = r.boolean("auto_rejoin", m.auto_rejoin);
    m.failover_timeout = r.duration("failover_timeout", m.failover_timeout, milliseconds{100});
    m.switchover_timeout = r.duration("switchover_timeout", m.switchover_timeout, milliseconds{100});
    m.failover_hold_timeout = r.duration("failover_hold_timeout", m.failover_hold_timeout, milliseconds{0});
    m.semi_sync = r.choice("semi_sync", "auto", {"auto", "off"}) == "off" ? health::SemiSync::off
                                                                          : health::SemiSync::automatic;
    if (m.auto_failover && m.replication_user.empty())
        r.fail_here("replication_user",
                    "is required when auto_failover is on (replicas are re-pointed with it)");
    r.finish();
    return m;
}

RoutingConfig read_routing(MapReader& r) {
    RoutingConfig c;
    c.read_write_split = r.boolean("read_write_split", c.read_write_split);
    c.max_replication_lag = r.duration("max_replication_lag", c.max_replication_lag, milliseconds{0});
    c.fallback = r.choice("fallback", "primary", {"primary", "error"}) == "error" ? ReadFallback::error
                                                                                  : ReadFallback::primary;
    std::string consistency = r.choice("consistency", "session", {"none", "session", "global"});
    c.consistency = consistency == "none"     ? ConsistencyMode::none
                    : consistency == "global" ? ConsistencyMode::global
                                              : ConsistencyMode::session;
    c.gtid_wait_timeout = r.duration("gtid_wait_timeout", c.gtid_wait_timeout, milliseconds{1});
    c.read_retry = r.boolean("read_retry", c.read_retry);
    r.finish();
    return c;
}

UserConfig read_user(MapReader& r) {
    UserConfig u;
    u.name = r.required_string("name");
    u.password = r.string("password", "");
    u.host = r.string("host", u.host);
    u.backend_user = r.string("backend_user", u.name);
    u.backend_password = r.string("backend_password", u.password);
    r.finish();
    return u;
}

UsersConfig read_users(MapReader& r, const std::string& source) {
    UsersConfig u;
    u.fetch_from_backends = r.boolean("fetch_from_backends", u.fetch_from_backends);
    u.refresh_min_interval = r.duration("refresh_min_interval", u.refresh_min_interval, milliseconds{0});
    if (auto list = r.child("list")) {
        if (!list->IsSequence()) r.fail_at(*list, "list", "expected a list of users");
        std::set<std::string> seen;
        for (std::size_t i = 0; i < list->size(); ++i) {
            MapReader ur((*list)[i], fmt::format("{}[{}]", r.path_of("list"), i), source);
            UserConfig user = read_user(ur);
            if (!seen.insert(user.name + "@" + user.host).second)
                ur.fail_here("name", fmt::format("'{}'@'{}' is listed twice", user.name, user.host));
            u.list.push_back(std::move(user));
        }
    }
    if (!u.fetch_from_backends && u.list.empty())
        r.fail_here("", "no client could log in: set users.fetch_from_backends or list users");
    r.finish();
    return u;
}

LimitsConfig read_limits(MapReader& r) {
    LimitsConfig l;
    l.workers = static_cast<int>(r.integer("workers", l.workers, 0, 256));
    std::string scheduling = r.choice("worker_scheduling", "auto", {"auto", "normal", "batch", "adaptive"});
    l.scheduling = scheduling == "normal"     ? WorkerScheduling::normal
                   : scheduling == "batch"    ? WorkerScheduling::batch
                   : scheduling == "adaptive" ? WorkerScheduling::adaptive
                                              : WorkerScheduling::automatic;
    l.max_client_connections = static_cast<std::uint32_t>(
        r.integer("max_client_connections", l.max_client_connections, 1, 1'000'000));
    l.max_backend_connections = static_cast<std::uint32_t>(
        r.integer("max_backend_connections", l.max_backend_connections, 1, 100'000));
    l.connect_timeout = r.duration("connect_timeout", l.connect_timeout, milliseconds{10});
    l.handshake_timeout = r.duration("handshake_timeout", l.handshake_timeout, milliseconds{10});
    l.idle_timeout = r.duration("idle_timeout", l.idle_timeout, milliseconds{0});
    l.max_packet_size = r.size("max_packet_size", l.max_packet_size, 1024);
    l.shutdown_timeout = r.duration("shutdown_timeout", l.shutdown_timeout, milliseconds{0});
    if (l.max_packet_size > (1ULL << 30))
        r.fail_here("max_packet_size", "is larger than 1GiB, the protocol's limit");
    r.finish();
    return l;
}

LoggingConfig read_logging(MapReader& r) {
    LoggingConfig l;
    l.level = r.choice("level", l.level, {"trace", "debug", "info", "warn", "error", "critical", "off"});
    l.format = r.choice("format", "text", {"text", "json"}) == "json" ? LogFormat::json : LogFormat::text;
    l.file = r.string("file", "");
    r.finish();
    return l;
}

template <class T, class F>
T section(MapReader& top, std::string_view key, const std::string& source, F read, T def = T{}) {
    auto node = top.child(key);
    if (!node) return def;
    MapReader r(*node, std::string(key), source);
    return read(r);
}

Config read_config(const YAML::Node& root, const std::string& source) {
    if (root.IsNull() || !root.IsDefined()) throw ConfigFailure(source + ":1: the file is empty");
    MapReader top(root, "", source);
    Config c;
    c.source = source;
    c.listen = section<ListenerConfig>(
        top, "listen", source,
        [&](MapReader& r) {
            auto l = read_listener(r, c.listen);
            l.socket = r.string("socket", "");
            if (!l.socket.empty() && l.socket.front() != '/')
                r.fail_here("socket", fmt::format("'{}' is not an absolute path", l.socket));
            if (l.socket.size() > kMaxSocketPath)
                r.fail_here("socket", fmt::format("is {} bytes long; a Unix socket path takes at most {}",
                                                  l.socket.size(), kMaxSocketPath));
            r.finish();
            return l;
        },
        c.listen);
    auto admin = top.child("admin");
    if (!admin) top.fail_here("admin", "is required (at least admin.password)");
    MapReader ar(*admin, "admin", source);
    c.admin = read_admin(ar);
    if (c.admin.listen.address == c.listen.address && c.admin.listen.port == c.listen.port)
        ar.fail_here("port", "is the same address and port as listen");
    c.backends = read_backends(top, source);
    auto monitor = top.child("monitor");
    if (!monitor) top.fail_here("monitor", "is required (at least monitor.user)");
    MapReader mr(*monitor, "monitor", source);
    c.monitor = read_monitor(mr);
    c.routing = section<RoutingConfig>(top, "routing", source, read_routing);
    c.users = section<UsersConfig>(top, "users", source, [&](MapReader& r) { return read_users(r, source); });
    c.limits = section<LimitsConfig>(top, "limits", source, read_limits);
    c.logging = section<LoggingConfig>(top, "logging", source, read_logging);
    top.finish();
    return c;
}

}  // namespace

ConfigResult load_config_text(const std::string& text, const std::string& source) {
    try {
        return read_config(YAML::Load(text), source);
    } catch (const ConfigFailure& e) {
        return ConfigError{e.what()};
    } catch (const YAML::Exception& e) {
        // yaml-cpp's messages start with "yaml-cpp: error at line L, column C: what".
        return ConfigError{fmt::format("{}:{}: YAML syntax error: {}", source, e.mark.line + 1, e.msg)};
    }
}

int worker_count(const LimitsConfig& limits, unsigned cores) {
    if (limits.workers > 0) return limits.workers;
    if (cores <= 2) return 1;  // also when the core count is unknown (0)
    return static_cast<int>(cores);
}

WorkerScheduling worker_scheduling(const LimitsConfig& limits, unsigned cores) {
    if (limits.scheduling != WorkerScheduling::automatic) return limits.scheduling;
    return cores <= 2 ? WorkerScheduling::adaptive : WorkerScheduling::normal;
}

const char* to_string(WorkerScheduling s) {
    switch (s) {
        case WorkerScheduling::automatic: return "auto";
        case WorkerScheduling::normal: return "normal";
        case WorkerScheduling::batch: return "batch";
        case WorkerScheduling::adaptive: return "adaptive";
    }
    return "?";
}

ConfigResult load_config_file(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        return ConfigError{fmt::format("{}: cannot read the config file: {}", path, std::strerror(errno))};
    std::stringstream ss;
    ss << in.rdbuf();
    return load_config_text(ss.str(), path);
}

}  // namespace sluice::proxy
