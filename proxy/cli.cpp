#include "proxy/cli.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace sluice::proxy {

namespace {

constexpr std::array<std::string_view, 7> kLevels{"trace", "debug",    "info", "warn",
                                                  "error", "critical", "off"};

// "--name=value" or "--name value"; advances i past a separate value.
std::optional<std::string> option_value(std::string_view arg, std::string_view name, int argc,
                                        const char* const* argv, int& i, bool& missing) {
    if (arg == name) {
        if (i + 1 >= argc) {
            missing = true;
            return std::nullopt;
        }
        return std::string(argv[++i]);
    }
    if (arg.size() > name.size() && arg.starts_with(name) && arg[name.size()] == '=')
        return std::string(arg.substr(name.size() + 1));
    return std::nullopt;
}

}  // namespace

std::string usage() {
    return "Usage: sluice [-c FILE] [--log-level LEVEL]\n"
           "       sluice --check-config [FILE]\n"
           "\n"
           "Sluice: a MySQL/MariaDB proxy with read/write split and automatic failover.\n"
           "\n"
           "  -c, --config FILE      configuration file (default /etc/sluice/sluice.yaml)\n"
           "      --check-config     validate the configuration (FILE or -c) and exit: 0 when valid, 2 when "
           "not\n"
           "      --log-level LEVEL  trace, debug, info, warn, error, critical or off (overrides "
           "logging.level)\n"
           "      --version          print the version and exit\n"
           "  -h, --help             print this help and exit\n"
           "\n"
           "SIGTERM or SIGINT stops Sluice cleanly (exit 0). A bad configuration exits with 2.\n";
}

std::variant<CliOptions, std::string> parse_cli(int argc, const char* const* argv) {
    CliOptions o;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        bool missing = false;
        if (arg == "-h" || arg == "--help") {
            o.show_help = true;
        } else if (arg == "--version" || arg == "-V") {
            o.show_version = true;
        } else if (arg == "--check-config") {
            o.check_only = true;
            if (i + 1 < argc && argv[i + 1][0] != '-') {
                o.config_path = argv[++i];
            }
        } else if (auto v = option_value(arg, "--config", argc, argv, i, missing)) {
            o.config_path = *v;
        } else if (auto c = option_value(arg, "-c", argc, argv, i, missing)) {
            o.config_path = *c;
        } else if (auto l = option_value(arg, "--log-level", argc, argv, i, missing)) {
            bool known = false;
            for (auto lv : kLevels) known = known || lv == *l;
            if (!known)
                return fmt::format("--log-level: '{}' is not one of: {}", *l, fmt::join(kLevels, ", "));
            o.log_level = *l;
        } else if (missing) {
            return fmt::format("{} needs a value", arg);
        } else {
            return fmt::format("unknown option '{}'", arg);
        }
        if (missing) return fmt::format("{} needs a value", arg);
    }
    return o;
}

}  // namespace sluice::proxy
