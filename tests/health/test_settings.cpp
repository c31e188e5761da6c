// The monitor keys the health library added, as read from YAML by the proxy's loader: defaults, values,
// limits.

#include <doctest/doctest.h>

#include "proxy/config.hpp"

using namespace sluice::proxy;
using std::chrono::milliseconds;

namespace {

const std::string kBase =
    "admin:\n  password: x\nbackends:\n  - name: db1\n    host: 127.0.0.1\n    port: 3311\nmonitor:\n"
    "  user: monitor\n  replication_user: repl\n";

}  // namespace

TEST_CASE("monitor failover keys: defaults") {
    auto r = load_config_text(kBase, "t.yaml");
    REQUIRE(std::holds_alternative<Config>(r));
    const auto& m = std::get<Config>(r).monitor;
    CHECK(m.auto_rejoin);
    CHECK(m.failover_timeout == milliseconds{10000});
    CHECK(m.switchover_timeout == milliseconds{30000});
    CHECK(m.failover_hold_timeout == milliseconds{10000});
    CHECK(m.semi_sync == sluice::health::SemiSync::automatic);
}

TEST_CASE("monitor failover keys: values and limits") {
    auto r = load_config_text(kBase +
                                  "  auto_rejoin: false\n  failover_timeout: 2s\n  switchover_timeout: 1m\n"
                                  "  failover_hold_timeout: 0s\n  semi_sync: off\n",
                              "t.yaml");
    REQUIRE(std::holds_alternative<Config>(r));
    const auto& m = std::get<Config>(r).monitor;
    CHECK_FALSE(m.auto_rejoin);
    CHECK(m.failover_timeout == milliseconds{2000});
    CHECK(m.switchover_timeout == milliseconds{60000});
    CHECK(m.failover_hold_timeout == milliseconds{0});
    CHECK(m.semi_sync == sluice::health::SemiSync::off);

    auto bad = load_config_text(kBase + "  switchover_timeout: 5ms\n", "t.yaml");
    REQUIRE(std::holds_alternative<ConfigError>(bad));
    CHECK(std::get<ConfigError>(bad).message ==
          "t.yaml:10: monitor.switchover_timeout: 5ms is shorter than the minimum of 100ms");
    bad = load_config_text(kBase + "  auto_rejoin: perhaps\n", "t.yaml");
    REQUIRE(std::holds_alternative<ConfigError>(bad));
    CHECK(std::get<ConfigError>(bad).message ==
          "t.yaml:10: monitor.auto_rejoin: 'perhaps' is not a boolean (true or false)");
}

TEST_CASE("the shipped example sets every monitor key to its default") {
    auto r = load_config_file(SLUICE_SOURCE_DIR "/conf/sluice.yaml");
    REQUIRE(std::holds_alternative<Config>(r));
    auto m = std::get<Config>(r).monitor;
    sluice::health::MonitorSettings defaults;
    defaults.user = m.user;
    defaults.password = m.password;
    defaults.replication_user = m.replication_user;
    defaults.replication_password = m.replication_password;
    CHECK(m == defaults);
}
