// The admin console's lifecycle commands (SHUTDOWN, RELOAD CONFIG), the interactive mariadb client on a pty,
// and who may log in where.

#include <doctest/doctest.h>

#include <sched.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include "tests/integration/admin_support.hpp"
#include "tests/integration/cluster.hpp"
#include "tests/integration/routing_support.hpp"

using namespace sluice::test;

namespace {

ConnectOptions app_of(const Sluice& s, std::string user = "app", std::string password = "app") {
    return {.port = s.client_port(), .user = std::move(user), .password = std::move(password)};
}

std::string info_of(Conn& c) {
    const char* i = mysql_info(c.raw());
    return i ? i : "";
}

std::map<std::string, std::string> config_of(Conn& admin) {
    std::map<std::string, std::string> kv;
    for (auto& r : rows_of(admin, "SHOW CONFIG")) kv[*r["name"]] = r["value"].value_or("");
    return kv;
}

// The local addresses listening on `port` (IPv4, from /proc/net/tcp), as "A.B.C.D".
std::vector<std::string> listening_addresses(int port) {
    std::ifstream in("/proc/net/tcp");
    std::string line;
    std::getline(in, line);  // header
    std::vector<std::string> out;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state;
        fields >> slot >> local >> remote >> state;
        auto colon = local.find(':');
        if (state != "0A" || std::stoi(local.substr(colon + 1), nullptr, 16) != port) continue;
        unsigned long ip = std::stoul(local.substr(0, colon), nullptr, 16);  // little-endian on x86
        out.push_back(std::to_string(ip & 0xFF) + "." + std::to_string((ip >> 8) & 0xFF) + "." +
                      std::to_string((ip >> 16) & 0xFF) + "." + std::to_string(ip >> 24));
    }
    return out;
}

}  // namespace

TEST_CASE("admin SHUTDOWN GRACEFUL lets the running statement finish and exits 0") {
    Sluice s(shared_cluster());
    Conn client;
    connect_or_throw(client, app_of(s));
    auto sleeping = std::async(std::launch::async, [&] { return client.scalar("SELECT SLEEP(1)"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    Conn a;
    connect_or_throw(a, admin_of(s));
    REQUIRE_OK(a.exec("SHUTDOWN GRACEFUL"));
    CHECK(info_of(a) == "shutting down: running statements may finish");
    CHECK(sleeping.get() == "0");
    CHECK(s.stop(0) == 0);  // exits by itself
    CHECK(s.log().find("shutting down (SHUTDOWN GRACEFUL from the admin console)") != std::string::npos);
}

TEST_CASE("admin SHUTDOWN ends running statements at once and exits 0") {
    Sluice s(shared_cluster());
    Conn client;
    connect_or_throw(client, app_of(s));
    auto sleeping = std::async(std::launch::async, [&] { return client.exec("SELECT SLEEP(5)"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    Conn a;
    connect_or_throw(a, admin_of(s));
    auto start = std::chrono::steady_clock::now();
    REQUIRE_OK(a.exec("SHUTDOWN"));
    auto e = sleeping.get();
    CHECK(e.has_value());  // cut off, not answered
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
    CHECK(s.stop(0) == 0);
}

TEST_CASE(
    "admin RELOAD CONFIG applies level and limits and users; a bad file is refused and changes nothing") {
    Sluice s(shared_cluster());
    Conn a;
    connect_or_throw(a, admin_of(s));
    const std::string base = read_file(s.config_path());
    REQUIRE_OK(a.exec("RELOAD CONFIG"));
    CHECK(info_of(a) == "reloaded: no change");

    write_file(s.config_path(), base +
                                    "logging:\n  level: debug\n"
                                    "limits:\n  max_client_connections: 2\n  workers: 3\n"
                                    "users:\n  list:\n    - name: bob\n      password: bobpw\n"
                                    "      backend_user: app\n      backend_password: app\n");
    REQUIRE_OK(a.exec("RELOAD CONFIG"));
    CHECK(info_of(a) ==
          "reloaded: logging.level, limits.max_client_connections, users.list; needs a restart (kept as "
          "running): limits.workers");
    auto kv = config_of(a);
    CHECK(kv["logging.level"] == "debug");
    CHECK(kv["limits.max_client_connections"] == "2");

    // users.list: bob logs in once the accounts are re-read.
    Conn bob;
    std::optional<SqlError> e = SqlError{};
    for (int i = 0; i < 40 && e; ++i) {
        e = bob.connect(app_of(s, "bob", "bobpw"));
        if (e) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE_OK(e);
    CHECK(bob.scalar("SELECT CURRENT_USER()").rfind("app@", 0) == 0);
    // limits.max_client_connections: bob and one more; the third is refused.
    Conn second, third;
    REQUIRE_OK(second.connect(app_of(s)));
    auto refused = third.connect(app_of(s));
    REQUIRE(refused);
    CHECK(refused->code == 1040);
    // logging.level: debug lines appear.
    CHECK(second.scalar("SELECT 1") == "1");
    CHECK(s.log().find(" debug [proxy] ") != std::string::npos);

    write_file(s.config_path(), base + "limits:\n  max_client_connections: lots\n");
    auto bad = a.exec("RELOAD CONFIG");
    REQUIRE(bad);
    CHECK(bad->code == 1105);
    CHECK(bad->sql_state == "HY000");
    CHECK(bad->message.find(s.config_path() + ":") != std::string::npos);
    CHECK(bad->message.find("limits.max_client_connections") != std::string::npos);
    CHECK(bad->message.find("the running config is kept") != std::string::npos);
    CHECK(config_of(a)["limits.max_client_connections"] == "2");
    CHECK(s.log().find("RELOAD CONFIG refused") != std::string::npos);
}

TEST_CASE("admin RELOAD CONFIG adds a backend: the monitor checks it and the pools and config list it") {
    Cluster& cluster = shared_cluster();
    std::string dir = make_temp_dir();
    int client_port = free_port(), admin_port = free_port();
    const std::string full = sluice_config(cluster, client_port, admin_port, "limits:\n  workers: 2\n");
    std::string db3 =
        "  - name: db3\n    host: 127.0.0.1\n    port: " + std::to_string(cluster.port(2)) + "\n";
    std::string two = full;
    auto at = two.find(db3);
    REQUIRE(at != std::string::npos);
    two.erase(at, db3.size());
    write_file(dir + "/sluice.yaml", two);
    {
        Process p({sluice_binary(), "-c", dir + "/sluice.yaml"}, dir + "/log");
        REQUIRE(wait_port(admin_port, std::chrono::seconds(10)));
        Conn a;
        connect_or_throw(a, {.port = admin_port, .user = "admin", .password = "admin"});
        REQUIRE(wait_role(a, "db2", "replica"));
        CHECK(rows_of(a, "SHOW SERVERS").size() == 2);

        write_file(dir + "/sluice.yaml", full);
        REQUIRE_OK(a.exec("RELOAD CONFIG"));
        CHECK(info_of(a) == "reloaded: backends (added db3)");
        CHECK(rows_of(a, "SHOW SERVERS").size() == 3);
        CHECK(wait_role(a, "db3", "replica"));
        CHECK(rows_of(a, "SHOW POOLS").size() == 6);  // 2 workers x 3 backends
        CHECK(config_of(a).count("backends.db3") == 1);
        {
            // The added replica takes its share of the reads.
            Nodes nodes = install_whoami(cluster);
            Conn reader;
            connect_or_throw(reader,
                             {.port = client_port, .user = "app", .password = "app", .database = "t_route"});
            int on_db3 = 0;
            for (int i = 0; i < 200 && on_db3 == 0; ++i) {
                if (answered_by(reader) == nodes.server_ids[2]) ++on_db3;
                if (on_db3 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            CHECK(on_db3 > 0);
        }
        REQUIRE_OK(a.exec("SET SERVER db3 MAINTENANCE"));
        CHECK(role_of(a, "db3") == "maintenance");

        Conn client;
        connect_or_throw(client, {.port = client_port, .user = "app", .password = "app"});
        CHECK(client.scalar("SELECT @@port") == std::to_string(cluster.port(0)));
        CHECK(p.stop(SIGTERM) == 0);
    }
    remove_tree(dir);
}

TEST_CASE("admin console: the interactive mariadb client on a terminal prints SHOW SERVERS as a table") {
    Sluice s(shared_cluster());
    Conn a;
    connect_or_throw(a, admin_of(s));
    REQUIRE(wait_role(a, "db1", "primary"));
    std::string client =
        "mariadb --no-defaults -h127.0.0.1 -P" + std::to_string(s.admin_port()) + " -uadmin -padmin";
    // script gives the client a pseudo-terminal: it starts in interactive mode (prompt, ASCII tables).
    auto r = run({"sh", "-c", "printf 'SHOW SERVERS;\\nquit\\n' | script -qec '" + client + "' /dev/null"},
                 std::chrono::seconds(30));
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK(r.output.find("]> SHOW SERVERS;") != std::string::npos);  // the prompt, then the echo
    CHECK(r.output.find("+------") != std::string::npos);
    CHECK(r.output.find("| name ") != std::string::npos);
    CHECK(r.output.find("| role ") != std::string::npos);
    for (const char* name : {"| db1 ", "| db2 ", "| db3 "}) CHECK(r.output.find(name) != std::string::npos);
    CHECK(r.output.find("3 rows in set") != std::string::npos);
}

TEST_CASE("admin security: passwords and accounts and the loopback default") {
    Sluice s(shared_cluster(),
             "users:\n  list:\n    - name: admin2\n      password: admin\n      backend_user: app\n"
             "      backend_password: app\n");
    // A wrong admin password: 1045, as MariaDB words it.
    Conn wrong;
    auto e = wrong.connect(admin_of(s, "admin", "wrong"));
    REQUIRE(e);
    CHECK(e->code == 1045);
    CHECK(e->sql_state == "28000");
    // An application account does not open the admin port.
    Conn app;
    e = app.connect(admin_of(s, "app", "app"));
    REQUIRE(e);
    CHECK(e->code == 1045);
    e = app.connect(admin_of(s, "admin2", "admin"));
    REQUIRE(e);
    CHECK(e->code == 1045);
    // The admin account does not open the client port: it is no application account.
    Conn admin_on_app;
    e = admin_on_app.connect(app_of(s, "admin", "admin"));
    REQUIRE(e);
    CHECK(e->code == 1045);
    // Unless it is one too (here a config account with the same password).
    Conn both;
    REQUIRE_OK(both.connect(app_of(s, "admin2", "admin")));
    CHECK(both.scalar("SELECT 1") == "1");

    // Without admin.address the admin listener binds to loopback only.
    std::string dir = make_temp_dir();
    int client_port = free_port(), admin_port = free_port();
    std::string config = sluice_config(shared_cluster(), client_port, admin_port, "");
    std::string explicit_address = "admin:\n  address: 127.0.0.1\n";
    auto at = config.find(explicit_address);
    REQUIRE(at != std::string::npos);
    config.replace(at, explicit_address.size(), "admin:\n");
    write_file(dir + "/sluice.yaml", config);
    {
        Process p({sluice_binary(), "-c", dir + "/sluice.yaml"}, dir + "/log");
        REQUIRE(wait_port(admin_port, std::chrono::seconds(10)));
        CHECK(listening_addresses(admin_port) == std::vector<std::string>{"127.0.0.1"});
        CHECK(p.stop(SIGTERM) == 0);
    }
    remove_tree(dir);
}

namespace {

// Each thread of the process by name (/proc/PID/task/*/comm), and whether the kernel schedules it as
// SCHED_BATCH (/proc/PID/task/*/stat, field 41). Threads a thread starts inherit its name and policy, so
// the check is by name: every thread called sluice-worker* and only those.
struct ThreadPolicies {
    std::set<std::string> batch, normal;  // names
};

ThreadPolicies thread_policies(pid_t pid) {
    ThreadPolicies out;
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
        std::ifstream comm_in(task.path() / "comm"), stat_in(task.path() / "stat");
        std::string name;
        std::getline(comm_in, name);
        std::string stat((std::istreambuf_iterator<char>(stat_in)), std::istreambuf_iterator<char>());
        auto close = stat.rfind(')');
        if (name.empty() || close == std::string::npos) continue;  // the thread ended meanwhile
        std::istringstream fields(stat.substr(close + 2));
        std::string field;
        for (int i = 3; i <= 41 && fields >> field; ++i)
            if (i == 41) (field == std::to_string(SCHED_BATCH) ? out.batch : out.normal).insert(name);
    }
    return out;
}

// Waits (up to 5 s) until the workers, the monitor and a probe have named themselves (and the workers set
// their policy): each does so as its thread starts, after the listeners already accept.
ThreadPolicies wait_threads_named(pid_t pid) {
    auto ready = [](const ThreadPolicies& p) {
        for (const char* w : {"sluice-worker0", "sluice-worker1", "sluice-monitor", "sluice-probe"})
            if (p.batch.count(w) + p.normal.count(w) == 0) return false;
        return true;
    };
    ThreadPolicies p = thread_policies(pid);
    for (int i = 0; i < 100 && !ready(p); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        p = thread_policies(pid);
    }
    return p;
}

}  // namespace

TEST_CASE("limits.worker_scheduling: batch runs each worker thread (only them) as SCHED_BATCH; normal none") {
    Cluster& cluster = shared_cluster();
    {
        Sluice s(cluster, "limits:\n  workers: 2\n  worker_scheduling: batch\n");
        const std::set<std::string> workers{"sluice-worker0", "sluice-worker1"};
        ThreadPolicies p = wait_threads_named(s.pid());
        CHECK(p.batch == workers);  // both workers, nothing else
        for (const auto& name : p.normal) CHECK(workers.count(name) == 0);
        CHECK(p.normal.count("sluice-monitor") == 1);  // the other threads are named too, and stay normal
        CHECK(p.normal.count("sluice-probe") == 1);
        Conn a;
        connect_or_throw(a, admin_of(s));
        CHECK(config_of(a)["limits.worker_scheduling"] == "batch");
        Conn app;
        REQUIRE_OK(app.connect(app_of(s)));
        CHECK(app.scalar("SELECT 1") == "1");
        CHECK(s.log().find("2 workers, batch scheduling") != std::string::npos);
    }
    {
        Sluice s(cluster, "limits:\n  workers: 2\n  worker_scheduling: normal\n");
        Conn app;
        REQUIRE_OK(app.connect(app_of(s)));
        CHECK(app.scalar("SELECT 1") == "1");
        ThreadPolicies p = wait_threads_named(s.pid());
        CHECK(p.batch.empty());
        CHECK(p.normal.count("sluice-worker0") == 1);
        CHECK(p.normal.count("sluice-worker1") == 1);
        CHECK(s.log().find("2 workers, normal scheduling") != std::string::npos);
    }
}

TEST_CASE("limits.worker_scheduling: adaptive is batch while few statements wait, normal while many do") {
    Cluster& cluster = shared_cluster();
    Sluice s(cluster, "limits:\n  workers: 1\n  worker_scheduling: adaptive\n");
    auto worker_batch = [&] { return thread_policies(s.pid()).batch.count("sluice-worker0") == 1; };
    // Waits up to `seconds` for the worker's policy to be `batch`.
    auto wait_policy = [&](bool batch, int seconds) {
        for (int i = 0; i < seconds * 20 && worker_batch() != batch; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return worker_batch() == batch;
    };
    wait_threads_named(s.pid());
    Conn a;
    connect_or_throw(a, admin_of(s));
    CHECK(config_of(a)["limits.worker_scheduling"] == "adaptive");
    CHECK(s.log().find("1 worker, adaptive scheduling") != std::string::npos);
    CHECK(wait_policy(true, 5));  // idle: batch

    // 20 statements waiting on backends at once (from 16 on, the worker turns normal) ...
    constexpr int kSessions = 20;
    std::vector<std::string> results(kSessions);
    std::vector<std::thread> clients;
    for (int i = 0; i < kSessions; ++i) {
        clients.emplace_back([&, i] {
            Conn c;
            ConnectOptions o = app_of(s);
            o.timeout_s = 30;
            if (auto err = c.connect(o)) {
                results[i] = "connect: " + describe(err);
                return;
            }
            std::vector<Row> rows;
            auto err = c.exec("SELECT SLEEP(4)", &rows);
            results[i] = err ? describe(err) : rows.empty() || !rows[0][0] ? "no row" : *rows[0][0];
        });
    }
    CHECK(wait_policy(false, 4));
    for (auto& t : clients) t.join();
    for (const auto& r : results) CHECK(r == "0");
    // ... and once they are answered, batch again.
    CHECK(wait_policy(true, 5));
    Conn app;
    REQUIRE_OK(app.connect(app_of(s)));
    CHECK(app.scalar("SELECT 1") == "1");
}
