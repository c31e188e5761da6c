#pragma once
// The admin commands' handlers, by file: admin_commands.cpp (the table, SHOW SERVERS/STATS/EVENTS/CONFIG and
// the monitor's operations), admin_views.cpp (SHOW POOLS, SESSIONS, QUERY DIGEST), admin_control.cpp (SET
// SERVER, PAUSE, RESUME, KILL SESSION, SHUTDOWN, RELOAD CONFIG), and the helpers they share.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/admin_commands.hpp"

namespace sluice::proxy::admin {

using Args = std::vector<std::string>;

std::string upper(std::string_view s);
protocol::ErrPacket syntax_error(std::string message);
protocol::TextValue num(std::uint64_t v);
std::string ms(std::chrono::milliseconds d);
std::string yes_no(bool b);
// A command that takes no arguments: the words after the verb are a mistake worth saying.
std::optional<protocol::ErrPacket> no_args(std::string_view verb, const Args& args);
bool is_word(const std::string& arg, std::string_view word);

Reply show_pools(const Context& ctx, const Args& args);
Reply show_sessions(const Context& ctx, const Args& args);
Reply show_query_digest(const Context& ctx, const Args& args);

Reply set_server(const Context& ctx, const Args& args);
Reply pause(const Context& ctx, const Args& args);
Reply resume(const Context& ctx, const Args& args);
Reply kill_session(const Context& ctx, const Args& args);
Reply shutdown(const Context& ctx, const Args& args);
Reply reload_config(const Context& ctx, const Args& args);

}  // namespace sluice::proxy::admin
