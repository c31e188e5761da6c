// The account store against real servers: what it reads from mysql.global_priv on 10.11, where it reads it
// from, how a refresh finds new users, and that its user@host choice is the server's own.

#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "protocol/auth/native_password.hpp"
#include "proxy/account_store.hpp"
#include "tests/integration/cluster.hpp"

using namespace sluice::test;
using sluice::health::BackendSpec;
using sluice::health::MonitorSettings;
using sluice::protocol::auth::native_stored_hash;
using sluice::proxy::Account;
using sluice::proxy::AccountStore;
using sluice::proxy::AuthPlugin;
using sluice::proxy::UserConfig;
using sluice::proxy::UsersConfig;
using namespace std::chrono_literals;

namespace {

// Backends named as the sandbox names them: node 0 is db1.
std::vector<BackendSpec> backends_of(const Cluster& c, const std::vector<int>& nodes) {
    std::vector<BackendSpec> out;
    for (int n : nodes)
        out.push_back({.name = "db" + std::to_string(n + 1),
                       .host = "127.0.0.1",
                       .port = static_cast<std::uint16_t>(c.port(n))});
    return out;
}

BackendSpec down_backend() {
    return {.name = "down", .host = "127.0.0.1", .port = static_cast<std::uint16_t>(free_port())};
}

MonitorSettings monitor_settings() {
    MonitorSettings m;
    m.user = "monitor";
    m.password = "monitor";
    m.connect_timeout = 5s;
    m.read_timeout = 5s;
    m.write_timeout = 5s;
    return m;
}

UsersConfig users(std::chrono::milliseconds min_interval, std::vector<UserConfig> list = {}) {
    UsersConfig u;
    u.fetch_from_backends = true;
    u.refresh_min_interval = min_interval;
    u.list = std::move(list);
    return u;
}

// Counts listener calls. Declare it before the store: the store's thread calls into it until the store
// is gone.
class Refreshes {
  public:
    void attach(AccountStore& s) {
        s.add_listener([this] {
            {
                std::lock_guard lk(mu_);
                ++calls_;
            }
            cv_.notify_all();
        });
    }
    // Waits (bounded) until the listener has been called `n` times in all.
    bool wait_for(int n, std::chrono::milliseconds limit = 60s) {
        std::unique_lock lk(mu_);
        return cv_.wait_for(lk, limit, [&] { return calls_ >= n; });
    }

  private:
    std::mutex mu_;
    std::condition_variable cv_;
    int calls_ = 0;
};

// Runs statements as root on a node now, and others when the test ends, failed or not.
class RootSql {
  public:
    RootSql(const Cluster& c, int node) { connect_or_throw(conn_, c.root(node)); }
    ~RootSql() {
        for (const auto& sql : cleanup_) conn_.exec(sql);
    }
    void run(const std::string& sql) {
        auto err = conn_.exec(sql);
        if (err) FAIL("'" << sql << "' failed: " << err->message);
    }
    void at_end(std::string sql) { cleanup_.insert(cleanup_.begin(), std::move(sql)); }

  private:
    Conn conn_;
    std::vector<std::string> cleanup_;
};

}  // namespace

TEST_CASE("the store reads the backends' accounts: app with its stored hash, monitor, repl") {
    Cluster& c = shared_cluster();
    AccountStore store(users(1s), backends_of(c, {0, 1, 2}), monitor_settings());
    store.start();
    auto table = store.current();
    REQUIRE(table);
    CHECK(table->version() == 2);  // 1 was the config-only table before start()

    const Account* app = table->match("app", "127.0.0.1");
    REQUIRE(app);
    CHECK(app->user == "app");
    CHECK(app->host == "%");
    CHECK(app->plugin == AuthPlugin::native_password);
    CHECK(app->plugin_name == "mysql_native_password");
    CHECK(app->stored_hash == native_stored_hash("app"));
    CHECK_FALSE(app->locked);
    CHECK_FALSE(app->from_config);

    const Account* monitor = table->match("monitor", "127.0.0.1");
    REQUIRE(monitor);
    CHECK(monitor->stored_hash == native_stored_hash("monitor"));
    const Account* repl = table->match("repl", "10.1.2.3");
    REQUIRE(repl);
    CHECK(repl->stored_hash == native_stored_hash("repl"));

    // root@localhost is read (a password-less `{"access": ...}` row) but is a socket login on the server.
    bool has_root = false;
    for (const Account* a : table->accounts())
        has_root = has_root || (a->user == "root" && a->host == "localhost");
    CHECK(has_root);
    CHECK(table->match("root", "127.0.0.1") == nullptr);
    CHECK(table->match("nobody", "127.0.0.1") == nullptr);

    auto stats = store.stats();
    CHECK(stats.source == "db1");
    CHECK(stats.reads == 1);
    CHECK(stats.failed_reads == 0);
}

TEST_CASE("the store prefers the writable backend, and reads a replica when it is all that answers") {
    Cluster& c = shared_cluster();
    {
        AccountStore store(users(1s), backends_of(c, {1, 2, 0}), monitor_settings());
        store.start();
        CHECK(store.stats().source == "db1");
        CHECK(store.current()->match("app", "127.0.0.1") != nullptr);
    }
    {
        std::vector<BackendSpec> replicas{down_backend()};
        for (const auto& b : backends_of(c, {2, 1})) replicas.push_back(b);
        AccountStore store(users(1s), replicas, monitor_settings());
        store.start();
        CHECK(store.stats().source == "db3");
        CHECK(store.current()->match("app", "127.0.0.1") != nullptr);
    }
}

TEST_CASE("a backend list whose first backend is down still loads from the next") {
    Cluster& c = shared_cluster();
    std::vector<BackendSpec> backends{down_backend()};
    for (const auto& b : backends_of(c, {0})) backends.push_back(b);
    AccountStore store(users(1s), backends, monitor_settings());
    store.start();
    CHECK(store.stats().source == "db1");
    CHECK(store.stats().failed_reads == 0);
    const Account* app = store.current()->match("app", "127.0.0.1");
    REQUIRE(app);
    CHECK(app->stored_hash == native_stored_hash("app"));
}

TEST_CASE("a user created after start is found after request_refresh; within the interval nothing is read") {
    Cluster& c = shared_cluster();
    RootSql primary(c, 0);
    primary.at_end("DROP USER IF EXISTS 'late'@'127.0.0.1'");

    Refreshes eager_refreshes, lazy_refreshes;
    AccountStore eager(users(0ms), backends_of(c, {0, 1, 2}), monitor_settings());
    AccountStore lazy(users(1500ms), backends_of(c, {0, 1, 2}), monitor_settings());
    AccountStore idle(users(1h), backends_of(c, {0, 1, 2}), monitor_settings());
    eager_refreshes.attach(eager);
    lazy_refreshes.attach(lazy);
    eager.start();
    lazy.start();
    idle.start();
    auto before = eager.current();
    CHECK(before->match("late", "127.0.0.1") == nullptr);

    primary.run("CREATE USER 'late'@'127.0.0.1' IDENTIFIED BY 'x'");
    eager.request_refresh();
    REQUIRE(eager_refreshes.wait_for(1));
    auto after = eager.current();
    CHECK(after->version() == before->version() + 1);
    const Account* late = after->match("late", "127.0.0.1");
    REQUIRE(late);
    CHECK(late->host == "127.0.0.1");
    CHECK(late->stored_hash == native_stored_hash("x"));
    CHECK(after->match("late", "127.0.0.2") == nullptr);
    CHECK(eager.stats().reads == 2);
    // The snapshot taken before is unchanged: snapshots are immutable.
    CHECK(before->match("late", "127.0.0.1") == nullptr);

    // The lazy store read at start, less than 1.5 s ago: the request waits for the interval to end (two
    // requests meanwhile make one read), then the new user is there.
    lazy.request_refresh();
    lazy.request_refresh();
    CHECK_FALSE(lazy_refreshes.wait_for(1, std::chrono::milliseconds(300)));
    CHECK(lazy.stats().reads == 1);
    REQUIRE(lazy_refreshes.wait_for(1, std::chrono::seconds(5)));
    auto stats = lazy.stats();
    CHECK(stats.reads == 2);
    CHECK(stats.skipped >= 1);
    CHECK(lazy.current()->match("late", "127.0.0.1") != nullptr);
    // A request deferred by an hour-long limit does not hold up the store's destruction.
    idle.request_refresh();
}

TEST_CASE("accounts the proxy cannot serve are read as such: unix_socket, locked; roles are not accounts") {
    Cluster& c = shared_cluster();
    RootSql primary(c, 0);
    primary.at_end("DROP USER IF EXISTS 'sock_only'@'%'");
    primary.at_end("DROP USER IF EXISTS 'sock_or_pw'@'%'");
    primary.at_end("DROP USER IF EXISTS 'locked_acc'@'%'");
    primary.at_end("DROP USER IF EXISTS 'expired_acc'@'%'");
    primary.at_end("DROP ROLE IF EXISTS 'sluice_role'");
    primary.run("CREATE USER 'sock_only'@'%' IDENTIFIED VIA unix_socket");
    primary.run(
        "CREATE USER 'sock_or_pw'@'%' IDENTIFIED VIA unix_socket OR mysql_native_password USING "
        "PASSWORD('either')");
    primary.run("CREATE USER 'locked_acc'@'%' IDENTIFIED BY 'l' ACCOUNT LOCK");
    primary.run("CREATE USER 'expired_acc'@'%' IDENTIFIED BY 'e' PASSWORD EXPIRE");
    primary.run("CREATE ROLE 'sluice_role'");

    AccountStore store(users(1s), backends_of(c, {0}), monitor_settings());
    store.start();
    auto table = store.current();

    const Account* sock = table->match("sock_only", "127.0.0.1");
    REQUIRE(sock);
    CHECK(sock->plugin == AuthPlugin::unsupported);
    CHECK(sock->plugin_name == "unix_socket");

    const Account* either = table->match("sock_or_pw", "127.0.0.1");
    REQUIRE(either);
    CHECK(either->plugin == AuthPlugin::native_password);
    CHECK(either->stored_hash == native_stored_hash("either"));

    const Account* locked = table->match("locked_acc", "127.0.0.1");
    REQUIRE(locked);
    CHECK(locked->locked);
    CHECK(locked->stored_hash == native_stored_hash("l"));

    const Account* expired = table->match("expired_acc", "127.0.0.1");
    REQUIRE(expired);
    CHECK(expired->password_expired);
    CHECK_FALSE(table->match("app", "127.0.0.1")->password_expired);

    // A role has User = name and Host = '' (which would mean '%' for an account).
    CHECK(table->match("sluice_role", "127.0.0.1") == nullptr);
}

TEST_CASE("config accounts come first; with fetch_from_backends false they are all there is") {
    Cluster& c = shared_cluster();
    UserConfig local{.name = "app",
                     .password = "other",
                     .host = "127.0.0.1",
                     .backend_user = "app",
                     .backend_password = "app"};
    {
        AccountStore store(users(1s, {local}), backends_of(c, {0}), monitor_settings());
        store.start();
        const Account* a = store.current()->match("app", "127.0.0.1");
        REQUIRE(a);
        CHECK(a->from_config);
        CHECK(a->stored_hash == native_stored_hash("other"));
        CHECK(store.current()->match("monitor", "127.0.0.1") != nullptr);  // fetched ones are there too
    }
    {
        UsersConfig only = users(0ms, {local});
        only.fetch_from_backends = false;
        Refreshes refreshes;
        AccountStore store(only, backends_of(c, {0}), monitor_settings());
        refreshes.attach(store);
        store.start();
        CHECK(store.current()->size() == 1);
        CHECK(store.current()->match("monitor", "127.0.0.1") == nullptr);
        store.request_refresh();
        REQUIRE(refreshes.wait_for(1));
        CHECK(store.stats().reads == 0);
        CHECK(store.current()->size() == 1);
    }
}

TEST_CASE("no backend answers: start() logs and keeps the config accounts; a later refresh still loads") {
    UsersConfig u = users(0ms, {UserConfig{.name = "cfg", .password = "c"}});
    AccountStore store(u, {down_backend(), down_backend()}, monitor_settings());
    store.start();  // must not throw
    auto table = store.current();
    CHECK(table->version() == 1);
    CHECK(table->size() == 1);
    CHECK(table->match("cfg", "10.0.0.1") != nullptr);
    auto stats = store.stats();
    CHECK(stats.reads == 1);
    CHECK(stats.failed_reads == 1);
    CHECK(stats.source == "");
}

TEST_CASE("a failed refresh keeps the previous snapshot") {
    Cluster c(1);
    Refreshes refreshes;
    AccountStore store(users(0ms), backends_of(c, {0}), monitor_settings());
    refreshes.attach(store);
    store.start();
    auto before = store.current();
    REQUIRE(before->match("app", "127.0.0.1") != nullptr);

    {
        Conn root;
        connect_or_throw(root, c.root(0));
        root.exec("SHUTDOWN");
    }
    for (int i = 0; i < 600 && port_open(c.port(0)); ++i) std::this_thread::sleep_for(100ms);
    REQUIRE_FALSE(port_open(c.port(0)));

    store.request_refresh();
    REQUIRE(refreshes.wait_for(1));
    auto stats = store.stats();
    CHECK(stats.reads == 2);
    CHECK(stats.failed_reads == 1);
    CHECK(stats.source == "db1");
    auto after = store.current();
    CHECK(after == before);
    CHECK(after->match("app", "127.0.0.1") != nullptr);
}

TEST_CASE("the store picks the account the server picks, entry after entry (CURRENT_USER())") {
    // Every host below matches a login from 127.0.0.1. The test logs in, asks the server which account it
    // chose, compares with AccountTable::match, drops that account and goes on, so the whole order is the
    // server's. Anonymous accounts take part: the monitor gets an exact-host account of its own so that they
    // do not capture its logins.
    Cluster c(1);
    RootSql root(c, 0);
    root.run("CREATE USER 'monitor'@'127.0.0.1' IDENTIFIED BY 'monitor'");
    root.run("GRANT SELECT ON mysql.* TO 'monitor'@'127.0.0.1'");
    const char* hosts[] = {"127.0.0.1",
                           "127.0.0.0/255.255.255.0",
                           "127.0.0.0/255.0.0.0",
                           "1_7.0.0.1",
                           "127.0.0._",
                           "12_.0.0.1",
                           "127.0.%",
                           "1%.0.1",
                           "127%",
                           "%1",
                           "%",
                           "1%"};
    for (const char* h : hosts) root.run(std::string("CREATE USER 'ord'@'") + h + "' IDENTIFIED BY 'o'");
    root.run("CREATE USER ''@'127.0.0.%' IDENTIFIED BY 'o'");
    root.run("CREATE USER ''@'%' IDENTIFIED BY 'o'");

    Refreshes refreshes;
    AccountStore store(users(0ms), backends_of(c, {0}), monitor_settings());
    refreshes.attach(store);
    store.start();
    const std::size_t entries = std::size(hosts) + 2;
    for (std::size_t step = 0; step <= entries; ++step) {
        CAPTURE(step);
        const Account* ours = store.current()->match("ord", "127.0.0.1");
        Conn login;
        auto err = login.connect({.port = c.port(0), .user = "ord", .password = "o"});
        if (err) {
            CHECK(step == entries);
            CHECK(ours == nullptr);
            break;
        }
        std::string theirs = login.scalar("SELECT CURRENT_USER()");
        REQUIRE(ours);
        CHECK(ours->user + "@" + ours->host == theirs);
        root.run("DROP USER '" + ours->user + "'@'" + ours->host + "'");
        store.request_refresh();
        REQUIRE(refreshes.wait_for(static_cast<int>(step) + 1));
    }
}
