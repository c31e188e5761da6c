#pragma once
// RELOAD CONFIG, the pure part: which differences between the running config and the file just read take
// effect now, and which wait for a restart. Reloadable: logging.level, limits (all but workers),
// users.list, admin.user and admin.password, and backends added after the existing ones. Everything else
// (listeners, a backend changed or removed, monitor, users.fetch_*, limits.workers, logging.format and file)
// keeps its running value and is named in the answer.

#include <string>
#include <vector>

#include "proxy/config.hpp"

namespace sluice::proxy {

struct ReloadPlan {
    Config next;                                      // what runs after the reload
    std::vector<std::string> applied;                 // keys whose new value takes effect
    std::vector<std::string> restart;                 // keys that changed in the file but need a restart
    std::vector<health::BackendSpec> added_backends;  // new backends, after the running ones
};

[[nodiscard]] ReloadPlan plan_reload(const Config& running, const Config& fresh);

// "reloaded: logging.level, limits.idle_timeout; needs a restart: backends" or "reloaded: no change".
std::string describe(const ReloadPlan& p);

}  // namespace sluice::proxy
