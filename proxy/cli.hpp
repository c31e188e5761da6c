#pragma once
// Command-line options of the sluice binary.

#include <optional>
#include <string>
#include <variant>

namespace sluice::proxy {

inline constexpr const char* kDefaultConfigPath = "/etc/sluice/sluice.yaml";

struct CliOptions {
    std::string config_path = kDefaultConfigPath;
    bool check_only = false;  // --check-config: validate and exit
    bool show_version = false;
    bool show_help = false;
    std::optional<std::string> log_level;  // --log-level overrides logging.level
};

// The options, or a message saying what is wrong with the command line.
std::variant<CliOptions, std::string> parse_cli(int argc, const char* const* argv);
std::string usage();

}  // namespace sluice::proxy
