#include "proxy/config_reload.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sluice::proxy {

namespace {

// Takes `fresh`'s value into `next` when it differs, noting the key.
template <class T>
void take(T& next, const T& fresh, const char* key, std::vector<std::string>& applied) {
    if (next == fresh) return;
    next = fresh;
    applied.emplace_back(key);
}

template <class T>
void keep(const T& running, const T& fresh, const char* key, std::vector<std::string>& restart) {
    if (!(running == fresh)) restart.emplace_back(key);
}

// Backends may be added after the running ones (their indexes stay); any other change waits for a restart.
void plan_backends(const Config& running, const Config& fresh, ReloadPlan& p) {
    const auto& have = running.backends;
    const auto& want = fresh.backends;
    if (have == want) return;
    bool appended = want.size() > have.size() && std::equal(have.begin(), have.end(), want.begin());
    if (!appended) {
        p.restart.emplace_back("backends");
        return;
    }
    p.added_backends.assign(want.begin() + static_cast<std::ptrdiff_t>(have.size()), want.end());
    p.next.backends = want;
    std::vector<std::string> names;
    for (const auto& b : p.added_backends) names.push_back(b.name);
    p.applied.push_back(fmt::format("backends (added {})", fmt::join(names, ", ")));
}

}  // namespace

ReloadPlan plan_reload(const Config& running, const Config& fresh) {
    ReloadPlan p{running, {}, {}, {}};
    Config& n = p.next;
    take(n.logging.level, fresh.logging.level, "logging.level", p.applied);
    LimitsConfig& l = n.limits;
    const LimitsConfig& f = fresh.limits;
    take(l.max_client_connections, f.max_client_connections, "limits.max_client_connections", p.applied);
    take(l.max_backend_connections, f.max_backend_connections, "limits.max_backend_connections", p.applied);
    take(l.connect_timeout, f.connect_timeout, "limits.connect_timeout", p.applied);
    take(l.handshake_timeout, f.handshake_timeout, "limits.handshake_timeout", p.applied);
    take(l.idle_timeout, f.idle_timeout, "limits.idle_timeout", p.applied);
    take(l.max_packet_size, f.max_packet_size, "limits.max_packet_size", p.applied);
    take(l.shutdown_timeout, f.shutdown_timeout, "limits.shutdown_timeout", p.applied);
    take(n.users.list, fresh.users.list, "users.list", p.applied);
    take(n.routing, fresh.routing, "routing", p.applied);
    take(n.admin.user, fresh.admin.user, "admin.user", p.applied);
    take(n.admin.password, fresh.admin.password, "admin.password", p.applied);

    keep(running.listen, fresh.listen, "listen", p.restart);
    keep(running.admin.listen, fresh.admin.listen, "admin.listen", p.restart);
    plan_backends(running, fresh, p);
    keep(running.monitor, fresh.monitor, "monitor", p.restart);
    keep(running.users.fetch_from_backends, fresh.users.fetch_from_backends, "users.fetch_from_backends",
         p.restart);
    keep(running.users.refresh_min_interval, fresh.users.refresh_min_interval, "users.refresh_min_interval",
         p.restart);
    keep(running.limits.workers, fresh.limits.workers, "limits.workers", p.restart);
    keep(running.limits.scheduling, fresh.limits.scheduling, "limits.worker_scheduling", p.restart);
    keep(running.logging.format, fresh.logging.format, "logging.format", p.restart);
    keep(running.logging.file, fresh.logging.file, "logging.file", p.restart);
    return p;
}

std::string describe(const ReloadPlan& p) {
    std::string out =
        p.applied.empty() ? "reloaded: no change" : fmt::format("reloaded: {}", fmt::join(p.applied, ", "));
    if (!p.restart.empty())
        out += fmt::format("; needs a restart (kept as running): {}", fmt::join(p.restart, ", "));
    return out;
}

}  // namespace sluice::proxy
