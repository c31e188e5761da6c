// listen.socket: clients on a Unix domain socket beside the TCP port, as on a MariaDB server's own socket
// (and ProxySQL's or MaxScale's socket listeners): logins as from 'localhost', the socket file's life cycle.

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>

#include "tests/integration/admin_support.hpp"
#include "tests/integration/cluster.hpp"

using namespace sluice::test;

namespace {

ConnectOptions on_socket(const Sluice& s, std::string user = "app", std::string password = "app") {
    return {.unix_socket = s.socket_path(), .user = std::move(user), .password = std::move(password)};
}

ConnectOptions on_tcp(const Sluice& s, std::string user = "app", std::string password = "app") {
    return {.port = s.client_port(), .user = std::move(user), .password = std::move(password)};
}

// A Unix socket bound at `path`; listening when asked, else closed at once (the file stays: a leftover).
int bind_socket(const std::string& path, bool listening) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path.copy(addr.sun_path, sizeof addr.sun_path - 1);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    REQUIRE(bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
    if (listening) {
        REQUIRE(listen(fd, 4) == 0);
        return fd;
    }
    close(fd);
    return -1;
}

bool is_socket_file(const std::string& path) {
    struct stat st {};
    return lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

}  // namespace

TEST_CASE("listen.socket: clients on the Unix socket run statements as over TCP and show as 'localhost'") {
    Cluster& c = shared_cluster();
    Sluice s(c, "", true);
    struct stat st {};
    REQUIRE(lstat(s.socket_path().c_str(), &st) == 0);
    CHECK(S_ISSOCK(st.st_mode));
    CHECK((st.st_mode & 0777) == 0777);  // as MariaDB's socket: the login decides who gets in
    CHECK(s.log().find("client listener on 127.0.0.1:" + std::to_string(s.client_port()) + " and " +
                       s.socket_path()) != std::string::npos);

    Conn sock, tcp;
    REQUIRE_OK(sock.connect(on_socket(s)));
    REQUIRE_OK(tcp.connect(on_tcp(s)));
    REQUIRE_OK(sock.exec("CREATE DATABASE IF NOT EXISTS sock_t"));
    REQUIRE_OK(sock.exec("CREATE OR REPLACE TABLE sock_t.t (id INT PRIMARY KEY, v VARCHAR(10))"));
    REQUIRE_OK(sock.exec("INSERT INTO sock_t.t VALUES (1, 'one'), (2, 'two')"));
    CHECK(sock.scalar("SELECT v FROM sock_t.t WHERE id = 2") == "two");
    REQUIRE_OK(sock.exec("BEGIN"));
    REQUIRE_OK(sock.exec("UPDATE sock_t.t SET v = 'uno' WHERE id = 1"));
    CHECK(sock.scalar("SELECT v FROM sock_t.t WHERE id = 1") == "uno");
    REQUIRE_OK(sock.exec("COMMIT"));
    CHECK(tcp.scalar("SELECT COUNT(*) FROM sock_t.t") == "2");
    // The backend sees Sluice's own login, whatever the client came in on.
    CHECK(sock.scalar("SELECT CURRENT_USER()") == "app@%");

    Conn admin;
    connect_or_throw(admin, admin_of(s));
    std::set<std::string> clients;
    for (auto& r : rows_of(admin, "SHOW SESSIONS")) clients.insert(r["client"].value_or("NULL"));
    CHECK(clients.count("localhost") == 1);
    CHECK(clients.count("127.0.0.1") == 1);
    std::string configured;
    for (auto& r : rows_of(admin, "SHOW CONFIG"))
        if (r["name"] == "listen.socket") configured = r["value"].value_or("");
    CHECK(configured == s.socket_path());
    REQUIRE_OK(sock.exec("DROP DATABASE sock_t"));
}

TEST_CASE("listen.socket: accounts match the socket as host 'localhost', TCP by address") {
    Cluster& c = shared_cluster();
    Sluice s(c,
             "users:\n  list:\n"
             "    - name: local_only\n      password: pw1\n      host: localhost\n"
             "      backend_user: app\n      backend_password: app\n"
             "    - name: lo_only\n      password: pw2\n      host: 127.0.0.1\n"
             "      backend_user: app\n      backend_password: app\n",
             true);
    Conn a, b, x, y, w;
    REQUIRE_OK(a.connect(on_socket(s, "local_only", "pw1")));
    CHECK(a.scalar("SELECT 1") == "1");
    REQUIRE_OK(b.connect(on_tcp(s, "lo_only", "pw2")));
    CHECK(b.scalar("SELECT 1") == "1");
    auto e = x.connect(on_tcp(s, "local_only", "pw1"));
    REQUIRE(e.has_value());
    CHECK(e->code == 1045);
    CHECK(e->message.find("'local_only'@'127.0.0.1'") != std::string::npos);
    e = y.connect(on_socket(s, "lo_only", "pw2"));
    REQUIRE(e.has_value());
    CHECK(e->code == 1045);
    CHECK(e->message.find("'lo_only'@'localhost'") != std::string::npos);
    e = w.connect(on_socket(s, "local_only", "wrong"));
    REQUIRE(e.has_value());
    CHECK(e->code == 1045);
}

TEST_CASE("listen.socket: max_client_connections refuses socket clients with ERR 1040 too") {
    Cluster& c = shared_cluster();
    Sluice s(c, "limits:\n  max_client_connections: 1\n", true);
    Conn first, second;
    // The start-up check's probe of the TCP port may still count for a moment.
    auto e = first.connect(on_socket(s));
    for (int i = 0; i < 50 && e && e->code == 1040; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        e = first.connect(on_socket(s));
    }
    REQUIRE_FALSE(e.has_value());
    e = second.connect(on_socket(s));
    REQUIRE(e.has_value());
    CHECK(e->code == 1040);
    CHECK(first.scalar("SELECT 1") == "1");
}

TEST_CASE(
    "listen.socket: the file is removed on stop; a leftover is replaced; a live socket or a file is not") {
    Cluster& c = shared_cluster();
    std::string dir = make_temp_dir();
    std::string path = dir + "/s.sock";
    std::string conf = dir + "/s.yaml";
    auto start = [&](int client_port) {
        write_file(conf, sluice_config(c, client_port, free_port(), "", path));
        return run(std::vector<std::string>{sluice_binary(), "-c", conf}, std::chrono::seconds(60));
    };

    SUBCASE("a running sluice's socket: the second one stops with exit 1, the first keeps it") {
        Sluice first(c, "", true);
        path = first.socket_path();
        auto r = start(free_port());
        CHECK(r.exit_code == 1);
        CHECK(r.output.find("client socket listener: " + path + " is in use") != std::string::npos);
        Conn conn;
        REQUIRE_OK(conn.connect(on_socket(first)));
        CHECK(conn.scalar("SELECT 1") == "1");
        CHECK(first.stop(SIGTERM) == 0);
        CHECK_FALSE(is_socket_file(path));  // removed on a clean stop
    }
    SUBCASE("another server listening there") {
        int fd = bind_socket(path, true);
        auto r = start(free_port());
        CHECK(r.exit_code == 1);
        CHECK(r.output.find(path + " is in use") != std::string::npos);
        CHECK(is_socket_file(path));  // not taken from its owner
        close(fd);
    }
    SUBCASE("a path that is not a socket is never replaced") {
        write_file(path, "keep me\n");
        auto r = start(free_port());
        CHECK(r.exit_code == 1);
        CHECK(r.output.find(path + " exists and is not a socket") != std::string::npos);
        CHECK(read_file(path) == "keep me\n");
    }
    SUBCASE("a socket file left by a process that is gone is replaced") {
        bind_socket(path, false);
        REQUIRE(is_socket_file(path));
        int port = free_port();
        write_file(conf, sluice_config(c, port, free_port(), "", path));
        Process p({sluice_binary(), "-c", conf}, dir + "/sluice.log");
        REQUIRE(wait_port(port, std::chrono::seconds(10)));
        CHECK(read_file(dir + "/sluice.log").find("removed the stale socket file " + path) !=
              std::string::npos);
        Conn conn;
        REQUIRE_OK(conn.connect({.unix_socket = path, .user = "app", .password = "app"}));
        CHECK(conn.scalar("SELECT 1") == "1");
        CHECK(p.stop(SIGTERM) == 0);
        CHECK_FALSE(is_socket_file(path));
    }
    remove_tree(dir);
}
