// Reads survive servers dying: a read that was on a replica when it died is retried elsewhere, and a
// reads-only client does not notice the primary's failover. Each case has its own cluster.

#include <doctest/doctest.h>
#include <signal.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "tests/integration/routing_support.hpp"

using namespace sluice::test;

namespace {

constexpr int kRows = 100;

// A cluster with whoami and t_rr.t (id 1..kRows, v = 3 x id), and Sluice with the split in front of it.
struct ReadCluster {
    Cluster cluster{3, "--slave-net-timeout=2"};
    Nodes nodes = install_whoami(cluster);
    bool table_ready = [this] {
        Conn root;
        connect_or_throw(root, cluster.root(0));
        REQUIRE_OK(root.exec("CREATE DATABASE t_rr"));
        REQUIRE_OK(root.exec("USE t_rr"));  // the seq_ tables need a current database
        REQUIRE_OK(root.exec("CREATE TABLE t_rr.t (id INT PRIMARY KEY, v INT NOT NULL)"));
        REQUIRE_OK(
            root.exec("INSERT INTO t_rr.t SELECT seq, seq * 3 FROM seq_1_to_" + std::to_string(kRows)));
        cluster.sync_replicas();
        return true;
    }();
    Sluice sluice{cluster, routing_yaml()};
};

// Client threads that only read, each on its own connection, counting answers by server, wrong answers and
// errors (nothing throws in a thread).
class Readers {
  public:
    Readers(ReadCluster& rc, int threads) {
        for (int t = 0; t < threads; ++t) {
            auto conn = std::make_unique<Conn>();
            connect_or_throw(*conn, {.port = rc.sluice.client_port(), .user = "app", .password = "app"});
            REQUIRE_MESSAGE(wait_for_replica_reads(*conn, rc.nodes), "no read reached a replica");
            conns_.push_back(std::move(conn));
        }
        for (int t = 0; t < threads; ++t) threads_.emplace_back([this, t] { run(*conns_[t], t); });
    }
    ~Readers() { stop(); }
    Readers(const Readers&) = delete;
    Readers& operator=(const Readers&) = delete;

    void stop() {
        stop_ = true;
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }
    long long reads() const { return reads_; }
    long long errors() const { return errors_; }
    long long wrong() const { return wrong_; }
    // Waits (at most 60 s) until `n` more reads have been answered.
    bool wait_reads(long long n) {
        long long target = reads_ + n;
        for (int i = 0; i < 600 && reads_ < target; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return reads_ >= target;
    }
    std::map<std::string, long long> by_server() {
        std::lock_guard lock(mu_);
        return by_;
    }
    std::string first_error() {
        std::lock_guard lock(mu_);
        return first_error_;
    }

  private:
    void run(Conn& c, int t) {
        for (long long i = t; !stop_; ++i) {
            const int id = static_cast<int>(i % kRows) + 1;
            std::vector<Row> rows;
            auto e = c.exec(
                std::string("SELECT v, ") + kWho + " FROM t_rr.t WHERE id = " + std::to_string(id), &rows);
            std::lock_guard lock(mu_);
            if (e) {
                if (errors_++ == 0) first_error_ = describe(e);
            } else if (rows.size() != 1 || rows[0][0] != std::to_string(id * 3)) {
                ++wrong_;
            } else {
                ++reads_;
                ++by_[rows[0][1].value_or("NULL")];
            }
        }
    }

    std::vector<std::unique_ptr<Conn>> conns_;
    std::vector<std::thread> threads_;
    std::atomic<bool> stop_{false};
    std::atomic<long long> reads_{0}, errors_{0}, wrong_{0};
    std::mutex mu_;
    std::map<std::string, long long> by_;
    std::string first_error_;
};

}  // namespace

TEST_CASE("read retry: a replica SIGKILLed under a reads-only load, and no client sees an error") {
    ReadCluster rc;
    Readers readers(rc, 4);
    REQUIRE(readers.wait_reads(2000));
    auto before = readers.by_server();
    REQUIRE_MESSAGE(before.count(rc.nodes.server_ids[2]) == 1, "db3 served no read before the kill");
    const long long at_kill = readers.reads();
    rc.cluster.kill_node(2, SIGKILL);
    REQUIRE(readers.wait_reads(3000));
    readers.stop();
    auto after = readers.by_server();
    MESSAGE("reads before the kill of db3: " << at_kill << " (" << describe_split(before, rc.nodes)
                                             << "); in all: " << readers.reads() << " ("
                                             << describe_split(after, rc.nodes) << "); errors "
                                             << readers.errors() << ", wrong answers " << readers.wrong());
    INFO(readers.first_error());
    CHECK(readers.errors() == 0);
    CHECK(readers.wrong() == 0);
    CHECK(after[rc.nodes.server_ids[1]] > before[rc.nodes.server_ids[1]]);  // the other replica took over
}

TEST_CASE(
    "read retry: the primary SIGKILLed and failed over under a reads-only load, and no client sees an "
    "error") {
    ReadCluster rc;
    Readers readers(rc, 4);
    REQUIRE(readers.wait_reads(2000));
    const long long at_kill = readers.reads();
    rc.cluster.kill_node(0, SIGKILL);
    // The monitor promotes a replica (failcount 3 x 100 ms): one of them becomes writable.
    int promoted = -1;
    for (int i = 0; i < 300 && promoted < 0; ++i) {
        for (int node = 1; node < rc.cluster.size() && promoted < 0; ++node) {
            Conn root;
            if (!root.connect(rc.cluster.root(node)) && root.scalar("SELECT @@read_only") == "0")
                promoted = node;
        }
        if (promoted < 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE_MESSAGE(promoted > 0, "no replica was promoted within 30 s");
    const long long at_promotion = readers.reads();
    REQUIRE(readers.wait_reads(3000));
    readers.stop();
    MESSAGE("reads: " << at_kill << " before the kill, " << at_promotion - at_kill
                      << " between the kill and db" << promoted + 1 << "'s promotion, " << readers.reads()
                      << " in all (" << describe_split(readers.by_server(), rc.nodes) << "); errors "
                      << readers.errors() << ", wrong answers " << readers.wrong());
    INFO(readers.first_error());
    CHECK(readers.errors() == 0);
    CHECK(readers.wrong() == 0);
}
