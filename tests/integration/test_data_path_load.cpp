// The data path under weight: big results read slowly, thousands of clients, sysbench, the mariadb CLI, and a
// graceful stop with statements still running.

#include <doctest/doctest.h>
#include <mysql.h>
#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <thread>

#include "tests/integration/cluster.hpp"

using namespace sluice::test;

namespace {

long rss_kib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    long value = 0;
    while (in >> key) {
        if (key == "VmRSS:") {
            in >> value;
            return value;
        }
        in.ignore(1 << 20, '\n');
    }
    return -1;
}

std::string mariadb_cli(int port, const std::string& sql, const std::string& db = "") {
    std::vector<std::string> argv{"mariadb", "--no-defaults", "-h127.0.0.1", "-P" + std::to_string(port),
                                  "-uapp",   "-papp",         "--batch",     "-e",
                                  sql};
    if (!db.empty()) argv.push_back(db);
    RunResult r = run(argv);
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    return r.output;
}

}  // namespace

TEST_CASE("the mariadb CLI through Sluice prints what it prints against the server") {
    Cluster& c = shared_cluster();
    Sluice s(c);
    for (const char* sql : {"SHOW DATABASES", "SELECT seq, seq * 2 FROM seq_1_to_100000",
                            "USE mysql; SELECT DATABASE(); SELECT COUNT(*) > 0 FROM global_priv",
                            "SELECT @@version, @@character_set_server, CURRENT_USER()"}) {
        CAPTURE(sql);
        CHECK(mariadb_cli(s.client_port(), sql, "sbtest") == mariadb_cli(c.port(0), sql, "sbtest"));
    }
    std::string status = mariadb_cli(s.client_port(), "\\s");
    CHECK(status.find("Current user:\t\tapp@127.0.0.1") != std::string::npos);
    CHECK(status.find("TCP port:\t\t" + std::to_string(s.client_port())) != std::string::npos);
}

TEST_CASE("a 1 GiB result read slowly: Sluice's memory stays bounded (backpressure)") {
    Cluster& c = shared_cluster();
    Sluice s(c, "limits:\n  workers: 1\n");
    Conn client;
    connect_or_throw(client,
                     {.port = s.client_port(), .user = "app", .password = "app", .database = "sbtest"});
    long before = rss_kib(s.pid());
    const char* q = "SELECT seq, REPEAT('x', 1000) FROM seq_1_to_1048576";  // ~1 GiB of rows
    REQUIRE(mysql_real_query(client.raw(), q, std::strlen(q)) == 0);
    MYSQL_RES* res = mysql_use_result(client.raw());
    REQUIRE(res);
    long peak = before;
    std::uint64_t rows = 0, bytes = 0;
    while (MYSQL_ROW row = mysql_fetch_row(res)) {
        bytes += mysql_fetch_lengths(res)[1];
        if (++rows % 20000 == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a slow reader
            peak = std::max(peak, rss_kib(s.pid()));
        }
        (void)row;
    }
    CHECK(mysql_errno(client.raw()) == 0);
    mysql_free_result(res);
    CHECK(rows == 1048576);
    CHECK(bytes == 1048576ULL * 1000);
    MESSAGE("sluice RSS before " << before / 1024 << " MiB, peak " << peak / 1024 << " MiB while streaming "
                                 << bytes / (1 << 20) << " MiB");
    CHECK(peak - before < 64 * 1024);
}

TEST_CASE("2,000 concurrent client connections, each running queries") {
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    REQUIRE_MESSAGE(files.rlim_cur >= 2600, "the test needs 2,600 file descriptors");
    Cluster c(1, "--max-connections=2500");
    Sluice s(c, "limits:\n  max_backend_connections: 2400\n");
    constexpr int kThreads = 8, kPerThread = 250;
    std::vector<std::vector<std::unique_ptr<Conn>>> conns(kThreads);
    std::atomic<int> connected{0}, answered{0}, failed{0};
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                auto conn = std::make_unique<Conn>();
                if (conn->connect(
                        {.port = s.client_port(), .user = "app", .password = "app", .timeout_s = 30})) {
                    ++failed;
                    continue;
                }
                ++connected;
                conns[t].push_back(std::move(conn));
            }
            ++ready;
            while (ready < kThreads) std::this_thread::sleep_for(std::chrono::milliseconds(5));
            // All 2,000 are open now: each runs two statements. (No REQUIRE or throw in a thread: count.)
            for (auto& conn : conns[t]) {
                std::vector<Row> r1, r2;
                if (conn->exec("SELECT CONNECTION_ID()", &r1) || r1.empty() || !r1[0][0]) {
                    ++failed;
                    continue;
                }
                std::string id = *r1[0][0];
                if (!conn->exec("SELECT " + id + " + 1", &r2) && !r2.empty() &&
                    r2[0][0] == std::to_string(std::stoll(id) + 1))
                    ++answered;
                else
                    ++failed;
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(failed == 0);
    CHECK(connected == kThreads * kPerThread);
    CHECK(answered == kThreads * kPerThread);
}

TEST_CASE("sysbench oltp_read_write, 16 threads, 60 s through Sluice: zero errors") {
    if (run({"sh", "-c", "command -v sysbench"}).exit_code != 0) {
        FAIL("sysbench is not installed (scripts/setup installs it)");
    }
    Cluster& c = shared_cluster();
    Sluice s(c);
    std::vector<std::string> common{"sysbench",
                                    "oltp_read_write",
                                    "--mysql-host=127.0.0.1",
                                    "--mysql-port=" + std::to_string(s.client_port()),
                                    "--mysql-user=app",
                                    "--mysql-password=app",
                                    "--mysql-db=sbtest",
                                    "--tables=4",
                                    "--table-size=10000",
                                    "--db-driver=mysql"};
    auto with = [&](std::vector<std::string> extra) {
        auto a = common;
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    };
    run(with({"cleanup"}));
    RunResult prep = run(with({"prepare"}), std::chrono::seconds(300));
    REQUIRE_MESSAGE(prep.exit_code == 0, prep.output);
    RunResult r =
        run(with({"--threads=16", "--time=60", "--report-interval=0", "run"}), std::chrono::seconds(300));
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    auto line_of = [&](const std::string& key) {
        auto at = r.output.find(key);
        return at == std::string::npos ? std::string() : r.output.substr(at, r.output.find('\n', at) - at);
    };
    MESSAGE(line_of("transactions:") << " | " << line_of("queries:") << " | " << line_of("ignored errors:"));
    // sysbench itself aborts the run on any error other than a deadlock (which it retries and counts as
    // ignored, see MARIADB-NOTES); a run to the end with exit 0 is a run without errors.
    CHECK(r.output.find("FATAL") == std::string::npos);
    CHECK(line_of("transactions:").find("transactions:") != std::string::npos);
    run(with({"cleanup"}));
}

TEST_CASE("SIGTERM: new connections refused, a running statement finishes, then exit 0") {
    Cluster& c = shared_cluster();
    Sluice s(c, "limits:\n  shutdown_timeout: 10s\n");
    Conn busy, idle;
    connect_or_throw(busy, {.port = s.client_port(), .user = "app", .password = "app"});
    connect_or_throw(idle, {.port = s.client_port(), .user = "app", .password = "app"});
    std::vector<Row> rows;
    std::optional<SqlError> err;
    std::thread t([&] { err = busy.exec("SELECT SLEEP(1.5), 'finished'", &rows); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    kill(s.pid(), SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK_FALSE(port_open(s.client_port()));
    t.join();
    CHECK_FALSE(err);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][1] == "finished");
    auto code = s.stop(SIGTERM);
    INFO(s.log());
    CHECK(code == 0);
    CHECK(idle.exec("SELECT 1"));  // the idle session was closed at once
}
