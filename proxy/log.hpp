#pragma once
// Logging set-up: one spdlog logger per component (proxy, router, health, admin) sharing one sink, text or
// JSON lines. A line about a session or a backend starts with "session=N backend=NAME: " (see ctx()), which
// the JSON format turns into fields, so one grep (or one jq filter) follows a client.

#include <spdlog/spdlog.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "proxy/config.hpp"

namespace sluice::proxy {

enum class Component : std::uint8_t { proxy, router, health, admin };

// Replaces the component loggers; returns why it could not (a log file that cannot be opened).
std::optional<std::string> setup_logging(const LoggingConfig& cfg, std::optional<std::string> level_override);
spdlog::logger& log(Component c);

// The context prefix of a log line: "session=12 backend=db1: ", "session=12: ", "backend=db1: " or "".
std::string ctx(std::uint64_t session, std::string_view backend = {});

// Exposed for tests: one record as a JSON line (without the newline).
std::string json_line(std::string_view time, std::string_view level, std::string_view component,
                      std::string_view payload);

}  // namespace sluice::proxy
