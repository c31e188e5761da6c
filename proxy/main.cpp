// sluice: parse the command line, load and validate the config (exit 2 when it is wrong), then serve.

#include <sys/resource.h>

#include <cstdio>
#include <variant>

#include "proxy/cli.hpp"
#include "proxy/config.hpp"
#include "proxy/log.hpp"
#include "proxy/server.hpp"
#include "sluice_version.hpp"

namespace {
constexpr int kExitBadConfig = 2;
}

int main(int argc, char** argv) {
    using namespace sluice::proxy;
    auto cli = parse_cli(argc, argv);
    if (auto* err = std::get_if<std::string>(&cli)) {
        std::fprintf(stderr, "sluice: %s\nTry 'sluice --help'.\n", err->c_str());
        return kExitBadConfig;
    }
    const CliOptions& opts = std::get<CliOptions>(cli);
    if (opts.show_help) {
        std::fputs(usage().c_str(), stdout);
        return 0;
    }
    if (opts.show_version) {
        std::printf("sluice %s\n", SLUICE_VERSION);
        return 0;
    }
    ConfigResult loaded = load_config_file(opts.config_path);
    if (auto* err = std::get_if<ConfigError>(&loaded)) {
        std::fprintf(stderr, "sluice: %s\n", err->message.c_str());
        return kExitBadConfig;
    }
    Config& config = std::get<Config>(loaded);
    if (opts.check_only) {
        std::printf("%s: OK (%zu backends)\n", opts.config_path.c_str(), config.backends.size());
        return 0;
    }
    if (auto err = setup_logging(config.logging, opts.log_level)) {
        std::fprintf(stderr, "sluice: %s: logging.file: %s\n", opts.config_path.c_str(), err->c_str());
        return kExitBadConfig;
    }
    // Each client costs two descriptors (its socket and its backend's): use all the hard limit allows.
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    Server server(std::move(config));
    return server.run();
}
