// Commands that change what Sluice does: SET SERVER, PAUSE, RESUME, KILL SESSION, SHUTDOWN, RELOAD CONFIG.

#include <fmt/format.h>

#include <charconv>

#include "protocol/error_codes.hpp"
#include "proxy/admin_handlers.hpp"

namespace sluice::proxy::admin {

Reply set_server(const Context& ctx, const Args& args) {
    constexpr std::string_view kUsage = "Usage: SET SERVER name MAINTENANCE | DRAIN | ONLINE";
    if (args.size() != 2) return syntax_error(std::string(kUsage));
    auto o = health::override_from_string(args[1]);
    if (!o) return syntax_error(fmt::format("SET SERVER: unknown state '{}'. {}", args[1], kUsage));
    auto run = ctx.set_server;
    std::string name = args[0];
    return Operation{fmt::format("SET SERVER {} {}", name, upper(args[1])),
                     [run, name, o = *o] { return run(name, o); }};
}

Reply pause(const Context& ctx, const Args& args) {
    if (auto e = no_args("PAUSE", args)) return *e;
    if (ctx.paused()) return Ok{"already paused"};
    ctx.set_paused(true);
    return Ok{"paused: new statements wait until RESUME"};
}

Reply resume(const Context& ctx, const Args& args) {
    if (auto e = no_args("RESUME", args)) return *e;
    if (!ctx.paused()) return Ok{"not paused"};
    ctx.set_paused(false);
    return Ok{"resumed"};
}

Reply kill_session(const Context& ctx, const Args& args) {
    if (args.size() != 1) return syntax_error("Usage: KILL SESSION id (the id column of SHOW SESSIONS)");
    std::uint32_t id = 0;
    const std::string& a = args[0];
    auto [end, ec] = std::from_chars(a.data(), a.data() + a.size(), id);
    if (ec != std::errc{} || end != a.data() + a.size())
        return syntax_error(fmt::format("KILL SESSION: '{}' is not a session id", a));
    if (!ctx.kill_session(id))
        return protocol::ErrPacket::make(protocol::er::kUnknownThread,
                                         fmt::format("Unknown session id: {}", id));
    return Ok{};
}

Reply shutdown(const Context& ctx, const Args& args) {
    bool graceful = args.size() == 1 && is_word(args[0], "GRACEFUL");
    if (!args.empty() && !graceful) return syntax_error("Usage: SHUTDOWN [GRACEFUL]");
    ctx.shutdown(graceful);
    return Ok{graceful ? "shutting down: running statements may finish" : "shutting down"};
}

Reply reload_config(const Context& ctx, const Args& args) {
    if (auto e = no_args("RELOAD CONFIG", args)) return *e;
    // Off the loop: resolving a new backend's host and telling the monitor about it may wait.
    auto run = ctx.reload;
    return Operation{"RELOAD CONFIG", [run] {
                         ReloadOutcome r = run();
                         return health::OperationResult{r.ok, r.message, 0};
                     }};
}

}  // namespace sluice::proxy::admin
