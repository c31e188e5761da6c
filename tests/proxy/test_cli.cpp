#include <doctest/doctest.h>

#include <vector>

#include "proxy/cli.hpp"

using namespace sluice::proxy;

static std::variant<CliOptions, std::string> parse(std::vector<const char*> args) {
    args.insert(args.begin(), "sluice");
    return parse_cli(static_cast<int>(args.size()), args.data());
}

TEST_CASE("command line") {
    auto d = std::get<CliOptions>(parse({}));
    CHECK(d.config_path == kDefaultConfigPath);
    CHECK_FALSE(d.check_only);

    auto c = std::get<CliOptions>(parse({"-c", "a.yaml", "--log-level", "debug"}));
    CHECK(c.config_path == "a.yaml");
    CHECK(c.log_level == "debug");

    auto eq = std::get<CliOptions>(parse({"--config=b.yaml", "--log-level=warn"}));
    CHECK(eq.config_path == "b.yaml");
    CHECK(eq.log_level == "warn");

    auto check = std::get<CliOptions>(parse({"--check-config", "c.yaml"}));
    CHECK(check.check_only);
    CHECK(check.config_path == "c.yaml");

    auto check_c = std::get<CliOptions>(parse({"-c", "d.yaml", "--check-config"}));
    CHECK(check_c.check_only);
    CHECK(check_c.config_path == "d.yaml");

    CHECK(std::get<CliOptions>(parse({"--version"})).show_version);
    CHECK(std::get<CliOptions>(parse({"-h"})).show_help);
}

TEST_CASE("command line errors") {
    CHECK(std::get<std::string>(parse({"--bogus"})) == "unknown option '--bogus'");
    CHECK(std::get<std::string>(parse({"-c"})) == "-c needs a value");
    CHECK(std::get<std::string>(parse({"--log-level", "loud"})) ==
          "--log-level: 'loud' is not one of: trace, debug, info, warn, error, critical, off");
}
