// The sluice binary as an operator meets it: command line, config errors, start-up, listeners, signals, logs.

#include <doctest/doctest.h>
#include <signal.h>

#include "tests/integration/cluster.hpp"

using namespace sluice::test;

namespace {

RunResult run_sluice(std::vector<std::string> args) {
    args.insert(args.begin(), sluice_binary());
    return run(args);
}

// Runs --check-config on `text` written to a temp file, returning the result with the path replaced by "F".
RunResult check_config(const std::string& text) {
    std::string dir = make_temp_dir();
    std::string path = dir + "/s.yaml";
    write_file(path, text);
    RunResult r = run_sluice({"--check-config", path});
    for (auto at = r.output.find(path); at != std::string::npos; at = r.output.find(path))
        r.output.replace(at, path.size(), "F");
    remove_tree(dir);
    return r;
}

std::string valid_config() {
    // Ports that nothing here will open: --check-config does not start anything.
    return "admin:\n  password: x\nbackends:\n  - name: db1\n    host: 127.0.0.1\n    port: 3306\n"
           "  - name: db2\n    host: 127.0.0.1\n    port: 3307\nmonitor:\n  user: m\n  replication_user: r\n";
}

std::string with(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("--version, --help and a bad option") {
    auto v = run_sluice({"--version"});
    CHECK(v.exit_code == 0);
    CHECK(v.output.starts_with("sluice "));
    auto h = run_sluice({"--help"});
    CHECK(h.exit_code == 0);
    CHECK(h.output.find("--check-config") != std::string::npos);
    auto bad = run_sluice({"--frobnicate"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.output == "sluice: unknown option '--frobnicate'\nTry 'sluice --help'.\n");
}

TEST_CASE("--check-config accepts the shipped example") {
    auto r = run_sluice({"--check-config", source_dir() + "/conf/sluice.yaml"});
    CHECK(r.exit_code == 0);
    CHECK(r.output.find("OK (3 backends)") != std::string::npos);
}

TEST_CASE("bad configs exit with 2 and one message naming file, line and key") {
    struct Case {
        const char* kind;
        std::string text;
        std::string message;
    };
    const std::string ok = valid_config();
    const Case cases[] = {
        {"impossible port", with(ok, "port: 3307", "port: 70000"),
         "sluice: F:9: backends[1].port: 70000 is not a port\n"},
        {"duplicate backend name", with(ok, "name: db2", "name: db1"),
         "sluice: F:7: backends[1].name: 'db1' is used by another backend\n"},
        {"unknown key", ok + "limits:\n  max_client_conections: 5\n",
         "sluice: F:14: limits.max_client_conections: unknown key (did you mean "
         "'max_client_connections'?)\n"},
        {"wrong type", ok + "limits:\n  workers: [1]\n",
         "sluice: F:14: limits.workers: expected an integer, got a list\n"},
        {"missing required value", with(ok, "  user: m\n", ""), "sluice: F:11: monitor.user: is required\n"},
        {"misspelt section", ok + "monitor2: {}\n",
         "sluice: F:13: monitor2: unknown key (did you mean 'monitor'?)\n"},
        {"bad duration", ok + "limits:\n  handshake_timeout: 10\n",
         "sluice: F:14: limits.handshake_timeout: '10' needs a unit (ms, s, m or h)\n"},
        {"YAML syntax", ok + "logging: [\n",
         "sluice: F:14: YAML syntax error: end of sequence flow not found\n"},
        {"empty file", "", "sluice: F:1: the file is empty\n"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.kind);
        auto r = check_config(c.text);
        CHECK(r.exit_code == 2);
        CHECK(r.output == c.message);
    }
    auto missing = run_sluice({"-c", "/nonexistent/sluice.yaml"});
    CHECK(missing.exit_code == 2);
    CHECK(missing.output ==
          "sluice: /nonexistent/sluice.yaml: cannot read the config file: No such file or directory\n");
}

TEST_CASE("sluice listens on the client and admin ports and stops cleanly on SIGTERM and SIGINT") {
    Cluster& c = shared_cluster();
    for (int sig : {SIGTERM, SIGINT}) {
        CAPTURE(sig);
        Sluice s(c);
        CHECK(port_open(s.client_port()));
        CHECK(port_open(s.admin_port()));
        Conn client;
        connect_or_throw(client, {.port = s.client_port(), .user = "app", .password = "app"});
        CHECK(client.scalar("SELECT 1") == "1");
        CHECK(s.stop(sig) == 0);
        std::string log = s.log();
        CHECK(log.find("[proxy] client listener on 127.0.0.1:" + std::to_string(s.client_port())) !=
              std::string::npos);
        CHECK(log.find(sig == SIGTERM ? "shutting down (SIGTERM)" : "shutting down (SIGINT)") !=
              std::string::npos);
        CHECK(log.find("[proxy] stopped") != std::string::npos);
    }
}

TEST_CASE("a port already in use stops start-up with exit 1 and says which") {
    Cluster& c = shared_cluster();
    Sluice first(c);
    std::string dir = make_temp_dir();
    std::string path = dir + "/s.yaml";
    write_file(path, sluice_config(c, first.client_port(), free_port(), ""));
    auto r = run_sluice({"-c", path});
    CHECK(r.exit_code == 1);
    CHECK(r.output.find("client listener: cannot listen on 127.0.0.1:" + std::to_string(first.client_port()) +
                        ": address already in use") != std::string::npos);
    remove_tree(dir);
}

TEST_CASE("JSON logs: one object per line with the component") {
    Cluster& c = shared_cluster();
    Sluice s(c, "logging:\n  format: json\n  level: debug\n");
    CHECK(s.stop(SIGTERM) == 0);
    std::string log = s.log();
    REQUIRE_FALSE(log.empty());
    std::size_t lines = 0;
    for (std::size_t at = 0; at < log.size();) {
        auto nl = log.find('\n', at);
        std::string line = log.substr(at, nl - at);
        CAPTURE(line);
        CHECK(line.starts_with("{\"ts\":\""));
        CHECK(line.ends_with("}"));
        bool known = false;
        for (const char* c : {"proxy", "router", "health", "admin"})
            known = known || line.find(std::string("\"component\":\"") + c + "\"") != std::string::npos;
        CHECK(known);
        ++lines;
        at = nl == std::string::npos ? log.size() : nl + 1;
    }
    CHECK(lines >= 4);
}

TEST_CASE("--log-level overrides the config") {
    Cluster& c = shared_cluster();
    std::string dir = make_temp_dir();
    std::string path = dir + "/s.yaml";
    int port = free_port();
    write_file(path, sluice_config(c, port, free_port(), ""));
    {
        Process p({sluice_binary(), "-c", path, "--log-level", "error"}, dir + "/log");
        REQUIRE(wait_port(port, std::chrono::seconds(10)));
        CHECK(p.stop(SIGTERM) == 0);
    }
    CHECK(read_file(dir + "/log").empty());  // info lines are below "error"
    remove_tree(dir);
}
