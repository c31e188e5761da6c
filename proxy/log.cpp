#include "proxy/log.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <array>

namespace sluice::proxy {

namespace {

constexpr std::array<const char*, 4> kComponentNames{"proxy", "router", "health", "admin"};
constexpr const char* kTextPattern = "%Y-%m-%dT%H:%M:%S.%eZ %-5l [%n] %v";

// Filled once by setup_logging() before any other thread starts; later changes touch only the level, which
// spdlog keeps atomically. Lower layers (health/) reach the same loggers with spdlog::get("health").
std::array<std::shared_ptr<spdlog::logger>, 4> g_loggers;

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20)
                    out += fmt::format("\\u{:04x}", c);
                else
                    out += static_cast<char>(c);
        }
    }
    out += '"';
}

// Splits "session=12 backend=db1: text" into its fields; false when the payload has no such prefix.
bool split_context(std::string_view payload, std::string_view& session, std::string_view& backend,
                   std::string_view& msg) {
    auto end = payload.find(": ");
    if (end == std::string_view::npos) return false;
    std::string_view prefix = payload.substr(0, end);
    while (!prefix.empty()) {
        auto sp = prefix.find(' ');
        std::string_view tok = prefix.substr(0, sp);
        if (tok.starts_with("session="))
            session = tok.substr(8);
        else if (tok.starts_with("backend="))
            backend = tok.substr(8);
        else
            return false;
        prefix = sp == std::string_view::npos ? std::string_view{} : prefix.substr(sp + 1);
    }
    msg = payload.substr(end + 2);
    return true;
}

class JsonFormatter final : public spdlog::formatter {
  public:
    void format(const spdlog::details::log_msg& m, spdlog::memory_buf_t& dest) override {
        auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(m.time.time_since_epoch()).count() % 1000;
        std::string time = fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z",
                                       fmt::gmtime(std::chrono::system_clock::to_time_t(m.time)), ms);
        auto level = spdlog::level::to_string_view(m.level);
        std::string line = json_line(time, std::string_view(level.data(), level.size()),
                                     std::string_view(m.logger_name.data(), m.logger_name.size()),
                                     std::string_view(m.payload.data(), m.payload.size()));
        line += '\n';
        dest.append(line.data(), line.data() + line.size());
    }
    std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

}  // namespace

std::string json_line(std::string_view time, std::string_view level, std::string_view component,
                      std::string_view payload) {
    std::string out = "{\"ts\":";
    append_json_string(out, time);
    out += ",\"level\":";
    append_json_string(out, level);
    out += ",\"component\":";
    append_json_string(out, component);
    std::string_view session, backend, msg = payload;
    if (!split_context(payload, session, backend, msg)) msg = payload;
    if (!session.empty()) {
        out += ",\"session\":";
        append_json_string(out, session);
    }
    if (!backend.empty()) {
        out += ",\"backend\":";
        append_json_string(out, backend);
    }
    out += ",\"msg\":";
    append_json_string(out, msg);
    out += '}';
    return out;
}

std::string ctx(std::uint64_t session, std::string_view backend) {
    if (session && !backend.empty()) return fmt::format("session={} backend={}: ", session, backend);
    if (session) return fmt::format("session={}: ", session);
    if (!backend.empty()) return fmt::format("backend={}: ", backend);
    return {};
}

std::optional<std::string> setup_logging(const LoggingConfig& cfg,
                                         std::optional<std::string> level_override) {
    spdlog::sink_ptr sink;
    try {
        if (cfg.file.empty())
            sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        else
            sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(cfg.file);
    } catch (const spdlog::spdlog_ex& e) {
        return fmt::format("cannot open log file {}: {}", cfg.file, e.what());
    }
    if (cfg.format == LogFormat::json)
        sink->set_formatter(std::make_unique<JsonFormatter>());
    else
        sink->set_formatter(
            std::make_unique<spdlog::pattern_formatter>(kTextPattern, spdlog::pattern_time_type::utc));
    auto level = spdlog::level::from_str(level_override.value_or(cfg.level));
    for (std::size_t i = 0; i < kComponentNames.size(); ++i) {
        spdlog::drop(kComponentNames[i]);
        auto logger = std::make_shared<spdlog::logger>(kComponentNames[i], sink);
        logger->set_level(level);
        logger->flush_on(spdlog::level::info);
        spdlog::register_logger(logger);
        g_loggers[i] = logger;
    }
    spdlog::set_default_logger(spdlog::get("proxy"));
    return std::nullopt;
}

spdlog::logger& log(Component c) {
    auto& l = g_loggers[static_cast<std::size_t>(c)];
    return l ? *l : *spdlog::default_logger_raw();
}

}  // namespace sluice::proxy
