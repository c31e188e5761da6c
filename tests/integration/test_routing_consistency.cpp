// Read-your-writes through the split (routing.consistency: session): a session's read right after its own
// write sees that write even on a replica that is behind, because the replica first waits for the session's
// GTID. The replicas are made to lag on purpose while the test runs.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "tests/integration/routing_support.hpp"

using namespace sluice::test;
using Clock = std::chrono::steady_clock;

namespace {

// Stops and restarts each replica's SQL thread at random: applied for 150–500 ms, stopped for 50–200 ms. (The
// applied spells matter: a stopped SQL thread shows no Seconds_Behind_Master, which by design disqualifies
// the replica, so a replica stopped all the time would send every read to the primary and test nothing.)
class Lagger {
  public:
    explicit Lagger(const Cluster& c) {
        for (int node = 1; node < c.size(); ++node) threads_.emplace_back([this, &c, node] { run(c, node); });
    }
    ~Lagger() { stop(); }
    Lagger(const Lagger&) = delete;
    Lagger& operator=(const Lagger&) = delete;

    void stop() {
        stop_ = true;
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }
    int pauses() const { return pauses_; }
    int errors() const { return errors_; }

  private:
    void run(const Cluster& c, int node) {
        Conn root;
        if (root.connect(c.root(node))) {
            ++errors_;
            return;
        }
        std::mt19937 rng(static_cast<unsigned>(node));
        auto sleep_ms = [&](int lo, int hi) {
            std::this_thread::sleep_for(
                std::chrono::milliseconds(std::uniform_int_distribution(lo, hi)(rng)));
        };
        while (!stop_) {
            sleep_ms(150, 500);
            if (root.exec("STOP SLAVE SQL_THREAD")) ++errors_;
            sleep_ms(50, 200);
            if (root.exec("START SLAVE SQL_THREAD")) ++errors_;
            ++pauses_;
        }
    }

    std::atomic<bool> stop_{false};
    std::atomic<int> pauses_{0}, errors_{0};
    std::vector<std::thread> threads_;
};

}  // namespace

TEST_CASE("read-your-writes: 10,000 INSERTs each read back at once, replicas lagging on purpose") {
    Cluster c(3);
    Nodes nodes = install_whoami(c);
    {
        Conn root;
        connect_or_throw(root, c.root(0));
        REQUIRE_OK(root.exec("CREATE DATABASE t_ryw"));
        REQUIRE_OK(root.exec("CREATE TABLE t_ryw.r (id INT PRIMARY KEY, v INT NOT NULL)"));
    }
    c.sync_replicas();
    Sluice s(c, routing_yaml());
    Conn client;
    connect_or_throw(client,
                     {.port = s.client_port(), .user = "app", .password = "app", .database = "t_ryw"});
    REQUIRE_MESSAGE(wait_for_replica_reads(client, nodes), "no read reached a replica: is the split wired?");
    // Direct to the replicas: how often the row was not there yet, which shows that the lag was real.
    std::vector<std::unique_ptr<Conn>> replicas;
    for (int node = 1; node < c.size(); ++node) {
        replicas.push_back(std::make_unique<Conn>());
        connect_or_throw(*replicas.back(), c.app(node));
    }

    constexpr int kRounds = 10000;
    std::map<std::string, long long> by;
    int errors = 0, missing = 0, behind = 0, probes = 0;
    std::string first_problem;
    Lagger lagger(c);
    const auto start = Clock::now();
    for (int id = 1; id <= kRounds; ++id) {
        const std::string v = std::to_string(id * 7);
        if (auto e = client.exec("INSERT INTO r VALUES (" + std::to_string(id) + ", " + v + ")")) {
            if (errors++ == 0) first_problem = "INSERT " + std::to_string(id) + ": " + describe(e);
            continue;
        }
        std::vector<Row> rows;
        auto e =
            client.exec(std::string("SELECT v, ") + kWho + " FROM r WHERE id = " + std::to_string(id), &rows);
        if (e) {
            if (errors++ == 0) first_problem = "SELECT " + std::to_string(id) + ": " + describe(e);
        } else if (rows.size() != 1 || rows[0][0] != v) {
            if (missing++ == 0 && first_problem.empty())
                first_problem = "row " + std::to_string(id) + " not seen, read on server " +
                                (rows.empty() ? std::string("?") : rows[0][1].value_or("NULL"));
        } else {
            ++by[rows[0][1].value_or("NULL")];
        }
        if (id % 50 == 0) {
            for (auto& r : replicas) {
                ++probes;
                std::vector<Row> seen;
                if (!r->exec("SELECT 1 FROM t_ryw.r WHERE id = " + std::to_string(id), &seen) && seen.empty())
                    ++behind;
            }
        }
    }
    const double took = std::chrono::duration<double>(Clock::now() - start).count();
    lagger.stop();
    long long on_replicas = 0;
    for (const auto& [sid, n] : by) on_replicas += nodes.is_replica(sid) ? n : 0;
    MESSAGE(kRounds << " write-then-read rounds in " << took
                    << " s; reads served: " << describe_split(by, nodes) << " ("
                    << on_replicas * 100 / kRounds << "% on replicas); rows not seen: " << missing
                    << "; errors: " << errors << "; SQL-thread pauses: " << lagger.pauses()
                    << "; direct probes that found a replica behind: " << behind << " of " << probes);
    INFO(first_problem);
    CHECK(lagger.errors() == 0);
    CHECK(errors == 0);
    CHECK(missing == 0);
    CHECK(behind > 0);                 // the replicas really were behind at times
    CHECK(on_replicas * 2 > kRounds);  // most reads were still served by replicas
}
