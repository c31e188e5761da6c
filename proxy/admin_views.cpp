// SHOW POOLS, SHOW SESSIONS, SHOW QUERY DIGEST: copies of what the workers publish, never a call into a loop.

#include <fmt/format.h>

#include <charconv>

#include "proxy/admin_handlers.hpp"

namespace sluice::proxy::admin {

namespace {

std::string backend_name(const Config& c, std::size_t i) {
    return i < c.backends.size() ? c.backends[i].name : fmt::format("#{}", i);
}

std::optional<std::uint64_t> parse_count(const std::string& s) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

Reply show_pools(const Context& ctx, const Args& args) {
    if (auto e = no_args("SHOW POOLS", args)) return *e;
    auto config = ctx.config();
    Table t{{{"worker", true},
             {"backend"},
             {"idle", true},
             {"in_use", true},
             {"resetting", true},
             {"opened", true},
             {"resets", true}},
            {}};
    for (const PoolRow& r : ctx.pools())
        t.rows.push_back({{num(static_cast<std::uint64_t>(r.worker)), backend_name(*config, r.backend),
                           num(r.idle), num(r.in_use), num(r.resetting), num(r.opened), num(r.resets)}});
    return t;
}

Reply show_sessions(const Context& ctx, const Args& args) {
    if (auto e = no_args("SHOW SESSIONS", args)) return *e;
    Table t{{{"id", true},
             {"worker", true},
             {"client"},
             {"user"},
             {"db"},
             {"in_transaction"},
             {"backends"},
             {"statement"},
             {"statement_ms", true},
             {"held"}},
            {}};
    std::vector<SessionInfo> sessions = ctx.sessions();
    auto now = std::chrono::steady_clock::now();  // after the copies: no age below zero
    for (const SessionInfo& s : sessions) {
        protocol::TextValue age;
        if (s.started)
            age = num(static_cast<std::uint64_t>(
                std::chrono::duration_cast<std::chrono::milliseconds>(now - *s.started).count()));
        t.rows.push_back(
            {{num(s.id), num(static_cast<std::uint64_t>(s.worker)), s.client, s.user, s.database,
              yes_no(s.in_transaction), s.backend,
              s.started ? protocol::TextValue(s.statement) : std::nullopt, age, yes_no(s.held)}});
    }
    return t;
}

Reply show_query_digest(const Context& ctx, const Args& args) {
    std::size_t limit = 0;
    if (args.size() == 2 && is_word(args[0], "LIMIT")) {
        auto n = parse_count(args[1]);
        if (!n) return syntax_error(fmt::format("SHOW QUERY DIGEST LIMIT: '{}' is not a number", args[1]));
        limit = static_cast<std::size_t>(*n);
    } else if (!args.empty()) {
        return syntax_error("Usage: SHOW QUERY DIGEST [LIMIT n]");
    }
    Table t{{{"digest"},
             {"fingerprint"},
             {"backend"},
             {"count", true},
             {"sum_us", true},
             {"avg_us", true},
             {"min_us", true},
             {"max_us", true},
             {"rows_sent", true}},
            {}};
    for (const DigestRow& d : ctx.digests(limit))
        t.rows.push_back({{fmt::format("0x{:016X}", d.hash), d.fingerprint, d.backend, num(d.count),
                           num(d.sum_us), num(d.avg_us()), num(d.min_us), num(d.max_us), num(d.rows)}});
    return t;
}

}  // namespace sluice::proxy::admin
