#include <doctest/doctest.h>

#include <cctype>
#include <fstream>
#include <string>

#include "proxy/config.hpp"

using namespace sluice::proxy;
using std::chrono::milliseconds;

namespace {

// A minimal valid config; the cases below change one line of it. Line numbers matter: keep them in step.
constexpr const char* kMinimal = R"(admin:
  password: secret
backends:
  - name: db1
    host: 127.0.0.1
    port: 3311
  - name: db2
    host: 127.0.0.1
    port: 3312
monitor:
  user: monitor
  replication_user: repl
)";

std::string error_of(const std::string& text) {
    auto r = load_config_text(text, "t.yaml");
    auto* e = std::get_if<ConfigError>(&r);
    return e ? e->message : std::string("(no error)");
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a minimal config gets every default") {
    auto r = load_config_text(kMinimal, "t.yaml");
    REQUIRE(std::holds_alternative<Config>(r));
    const Config& c = std::get<Config>(r);
    CHECK(c.listen.address == "127.0.0.1");
    CHECK(c.listen.port == 6033);
    CHECK(c.listen.socket.empty());
    CHECK(c.admin.listen.port == 6032);
    CHECK(c.admin.user == "admin");
    REQUIRE(c.backends.size() == 2);
    CHECK(c.backends[1].name == "db2");
    CHECK(c.backends[1].port == 3312);
    CHECK(c.backends[1].priority == 0);
    CHECK_FALSE(c.backends[1].never_promote);
    CHECK(c.monitor.interval == milliseconds{500});
    CHECK(c.monitor.failcount == 3);
    CHECK(c.monitor.auto_failover);
    CHECK(c.users.fetch_from_backends);
    CHECK(c.limits.workers == 0);
    CHECK(c.limits.max_packet_size == 1ULL << 30);
    CHECK(c.logging.level == "info");
    CHECK(c.logging.format == LogFormat::text);
}

TEST_CASE("limits.workers: 0 is one worker per core, and one on a machine of 2 cores or fewer") {
    LimitsConfig l;
    CHECK(worker_count(l, 0) == 1);  // hardware_concurrency() may not know
    CHECK(worker_count(l, 1) == 1);
    CHECK(worker_count(l, 2) == 1);
    CHECK(worker_count(l, 4) == 4);
    CHECK(worker_count(l, 64) == 64);
    l.workers = 2;  // what the config says wins
    CHECK(worker_count(l, 2) == 2);
    CHECK(worker_count(l, 64) == 2);
}

TEST_CASE("limits.worker_scheduling: auto is adaptive on a machine of 2 cores or fewer, normal above") {
    LimitsConfig l;
    CHECK(l.scheduling == WorkerScheduling::automatic);
    CHECK(worker_scheduling(l, 0) == WorkerScheduling::adaptive);
    CHECK(worker_scheduling(l, 2) == WorkerScheduling::adaptive);
    CHECK(worker_scheduling(l, 4) == WorkerScheduling::normal);
    for (const char* value : {"normal", "batch", "adaptive", "auto", "BATCH"}) {
        CAPTURE(value);
        auto r = load_config_text(std::string(kMinimal) + "limits:\n  worker_scheduling: " + value + "\n",
                                  "t.yaml");
        REQUIRE(std::holds_alternative<Config>(r));
        const LimitsConfig& got = std::get<Config>(r).limits;
        std::string lower(value);
        for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        CHECK(to_string(got.scheduling) == lower);
        if (lower != "auto") {  // what the config says wins
            CHECK(worker_scheduling(got, 2) == got.scheduling);
            CHECK(worker_scheduling(got, 64) == got.scheduling);
        }
    }
    CHECK(error_of(std::string(kMinimal) + "limits:\n  worker_scheduling: fifo\n") ==
          "t.yaml:14: limits.worker_scheduling: 'fifo' is not one of: auto, normal, batch, adaptive");
}

TEST_CASE("the shipped example config is valid and read as written") {
    auto r = load_config_file(SLUICE_SOURCE_DIR "/conf/sluice.yaml");
    if (auto* e = std::get_if<ConfigError>(&r)) FAIL(e->message);
    const Config& c = std::get<Config>(r);
    CHECK(c.backends.size() == 3);
    CHECK(c.backends[2].port == 3313);
    CHECK(c.admin.password == "admin");
    CHECK(c.monitor.replication_user == "repl");
    REQUIRE(c.users.list.size() == 1);
    CHECK(c.users.list[0].name == "app");
    CHECK(c.users.list[0].host == "%");
    CHECK(c.limits.handshake_timeout == milliseconds{10000});
    CHECK(c.limits.idle_timeout == milliseconds{0});
}

TEST_CASE(
    "listen.socket: a Unix socket beside the TCP port; the admin port may share the TCP port's address") {
    auto r = load_config_text(
        std::string(kMinimal) + "listen:\n  port: 7000\n  socket: /run/sluice/sluice.sock\n", "t.yaml");
    REQUIRE(std::holds_alternative<Config>(r));
    const Config& c = std::get<Config>(r);
    CHECK(c.listen.port == 7000);
    CHECK(c.listen.socket == "/run/sluice/sluice.sock");
    CHECK(c.admin.listen.socket.empty());
    // The same address and port as the admin's is still refused when a socket is set too.
    CHECK(error_of(std::string(kMinimal) + "listen:\n  port: 6032\n  socket: /tmp/s.sock\n") ==
          "t.yaml:2: admin.port: is the same address and port as listen");
}

TEST_CASE("bad configs name the file, the line and the key") {
    struct Case {
        std::string text;
        std::string message;
    };
    const Case cases[] = {
        // impossible values
        {replace(kMinimal, "port: 3312", "port: 70000"), "t.yaml:9: backends[1].port: 70000 is not a port"},
        {replace(kMinimal, "port: 3312", "port: http"), "t.yaml:9: backends[1].port: http is not a port"},
        // duplicate names and addresses
        {replace(kMinimal, "name: db2", "name: db1"),
         "t.yaml:7: backends[1].name: 'db1' is used by another backend"},
        {replace(kMinimal, "port: 3312", "port: 3311"),
         "t.yaml:7: backends[1].port: 127.0.0.1:3311 is already another backend"},
        // unknown keys, with a suggestion when one is close
        {replace(kMinimal, "port: 3312", "prot: 3312"),
         "t.yaml:9: backends[1].prot: unknown key (did you mean 'port'?)"},
        {std::string(kMinimal) + "colour: blue\n", "t.yaml:13: colour: unknown key"},
        // wrong types
        {replace(kMinimal, "user: monitor", "user: [a, b]"),
         "t.yaml:11: monitor.user: expected a string, got a list"},
        {std::string(kMinimal) + "limits:\n  workers: many\n",
         "t.yaml:14: limits.workers: 'many' is not an integer"},
        {std::string(kMinimal) + "logging:\n  level: loud\n",
         "t.yaml:14: logging.level: 'loud' is not one of: trace, debug, info, warn, error, critical, off"},
        {std::string(kMinimal) + "monitor2:\n  interval: 5\n",
         "t.yaml:13: monitor2: unknown key (did you mean 'monitor'?)"},
        {replace(kMinimal, "  replication_user: repl\n", "  replication_user: repl\n  interval: 500\n"),
         "t.yaml:13: monitor.interval: '500' needs a unit (ms, s, m or h)"},
        {replace(kMinimal, "  replication_user: repl\n", "  replication_user: repl\n  interval: 10ms\n"),
         "t.yaml:13: monitor.interval: 10ms is shorter than the minimum of 50ms"},
        // missing required values
        {replace(kMinimal, "    host: 127.0.0.1\n    port: 3312", "    port: 3312"),
         "t.yaml:7: backends[1].host: is required"},
        {replace(kMinimal, "  password: secret\n", "  user: admin\n"),
         "t.yaml:2: admin.password: is required"},
        {replace(kMinimal, "  replication_user: repl\n", ""),
         "t.yaml:11: monitor.replication_user: is required when auto_failover is on (replicas are re-pointed "
         "with it)"},
        {"admin:\n  password: x\nmonitor:\n  user: m\n  auto_failover: false\n",
         "t.yaml:1: backends: is required: list at least one backend"},
        {"", "t.yaml:1: the file is empty"},
        // structure and syntax
        {replace(kMinimal, "monitor:\n  user: monitor\n  replication_user: repl\n", "monitor: yes\n"),
         "t.yaml:10: monitor: expected a mapping, got a value"},
        {std::string(kMinimal) + "listen:\n  port: 6032\n",
         "t.yaml:2: admin.port: is the same address and port as listen"},
        {std::string(kMinimal) + "listen:\n  socket: sluice.sock\n",
         "t.yaml:14: listen.socket: 'sluice.sock' is not an absolute path"},
        {std::string(kMinimal) + "listen:\n  socket: /" + std::string(107, 's') + "\n",
         "t.yaml:14: listen.socket: is 108 bytes long; a Unix socket path takes at most 107"},
        {replace(kMinimal, "  password: secret\n", "  password: secret\n  socket: /tmp/a.sock\n"),
         "t.yaml:3: admin.socket: unknown key"},
        {std::string(kMinimal) + "listen:\n  address: localhost\n",
         "t.yaml:14: listen.address: 'localhost' is not an IP address"},
        {replace(kMinimal, "  password: secret\n", "  password: secret\n  password: other\n"),
         "t.yaml:3: admin.password: is given twice"},
        {std::string(kMinimal) + "users:\n  fetch_from_backends: false\n",
         "t.yaml:14: users: no client could log in: set users.fetch_from_backends or list users"},
        {replace(kMinimal, "  - name: db2", "  - name: [db2"),
         "t.yaml:8: YAML syntax error: end of sequence flow not found"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        CHECK(error_of(c.text) == c.message);
    }
}

TEST_CASE("a missing file says so") {
    CHECK(std::get<ConfigError>(load_config_file("/nonexistent/sluice.yaml")).message ==
          "/nonexistent/sluice.yaml: cannot read the config file: No such file or directory");
}
