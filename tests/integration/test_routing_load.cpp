// sysbench oltp_read_only through the split: the SELECTs land on the replicas, measured with each server's
// own Com_select counter.

#include <doctest/doctest.h>

#include "tests/integration/routing_support.hpp"

using namespace sluice::test;

namespace {

std::string line_of(const std::string& output, const std::string& key) {
    auto at = output.find(key);
    return at == std::string::npos ? std::string() : output.substr(at, output.find('\n', at) - at);
}

}  // namespace

TEST_CASE("sysbench oltp_read_only through Sluice: at least 90% of the SELECTs run on the replicas") {
    if (run({"sh", "-c", "command -v sysbench"}).exit_code != 0)
        FAIL("sysbench is not installed (scripts/setup installs it)");
    Cluster& c = shared_cluster();
    Routed r = routed();
    {
        Conn probe;
        connect_routed(probe);  // Sluice has its topology: reads go to replicas from the first one
    }
    auto sysbench = [&](int port, std::vector<std::string> extra) {
        std::vector<std::string> argv{"sysbench",
                                      "oltp_read_only",
                                      "--db-driver=mysql",
                                      "--mysql-host=127.0.0.1",
                                      "--mysql-port=" + std::to_string(port),
                                      "--mysql-user=app",
                                      "--mysql-password=app",
                                      "--mysql-db=sbtest",
                                      "--tables=2",
                                      "--table-size=10000"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run(argv, std::chrono::seconds(300));
    };
    sysbench(c.port(0), {"cleanup"});
    RunResult prep = sysbench(c.port(0), {"prepare"});
    REQUIRE_MESSAGE(prep.exit_code == 0, prep.output);
    c.sync_replicas();

    std::vector<long long> before;
    for (int node = 0; node < c.size(); ++node) before.push_back(global_status(c, node, "Com_select"));
    // --skip_trx: autocommit reads. With BEGIN/COMMIT around them every statement would be in a transaction,
    // which runs on the primary by the rules.
    RunResult res = sysbench(r.sluice.client_port(),
                             {"--threads=4", "--time=12", "--skip_trx=on", "--report-interval=0", "run"});
    REQUIRE_MESSAGE(res.exit_code == 0, res.output);
    std::vector<long long> delta;
    long long total = 0, replicas = 0;
    for (int node = 0; node < c.size(); ++node) {
        delta.push_back(global_status(c, node, "Com_select") - before[static_cast<std::size_t>(node)]);
        total += delta.back();
        replicas += node > 0 ? delta.back() : 0;
    }
    sysbench(c.port(0), {"cleanup"});

    const std::string errors = line_of(res.output, "ignored errors:");
    MESSAGE(line_of(res.output, "queries:") << " | " << errors);
    MESSAGE("Com_select delta: db1 (primary) " << delta[0] << ", db2 " << delta[1] << ", db3 " << delta[2]
                                               << " → " << (total ? replicas * 1000 / total / 10.0 : 0)
                                               << "% on the replicas");
    CHECK(res.output.find("FATAL") == std::string::npos);
    REQUIRE(errors.find("ignored errors:") != std::string::npos);
    CHECK(std::stoll(errors.substr(std::string("ignored errors:").size())) == 0);
    REQUIRE(total > 0);
    CHECK(replicas * 10 >= total * 9);
}
