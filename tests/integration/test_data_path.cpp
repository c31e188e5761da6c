// The client data path through the real sluice binary: what an application does, and what it must survive.

#include <doctest/doctest.h>
#include <mysql.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "tests/integration/admin_support.hpp"
#include "tests/integration/cluster.hpp"

using namespace sluice::test;

namespace {

Sluice& shared_sluice() {
    static Sluice s(shared_cluster(), "limits:\n  handshake_timeout: 3s\n  max_packet_size: 96MiB\n");
    return s;
}

void setup_schema();

// Client options for the shared Sluice; naming the test database creates it first.
ConnectOptions through_sluice(std::string db = "") {
    if (db == "t_path") setup_schema();
    return {
        .port = shared_sluice().client_port(), .user = "app", .password = "app", .database = std::move(db)};
}

void setup_schema() {
    static bool done = false;
    if (done) return;
    Conn c;
    connect_or_throw(c, through_sluice());
    REQUIRE_OK(c.exec("CREATE DATABASE IF NOT EXISTS t_path"));
    done = true;
}

}  // namespace

TEST_CASE("login, USE, SHOW DATABASES and a 100,000-row result, as against the server") {
    setup_schema();
    Conn c;
    connect_or_throw(c, through_sluice());
    CHECK(c.scalar("SELECT @@port") == std::to_string(shared_cluster().port(0)));
    std::vector<Row> dbs;
    REQUIRE_OK(c.exec("SHOW DATABASES", &dbs));
    bool found = false;
    for (auto& r : dbs) found = found || r.at(0) == "t_path";
    CHECK(found);
    REQUIRE_OK(c.exec("USE t_path"));
    CHECK(c.scalar("SELECT DATABASE()") == "t_path");
    std::vector<Row> rows;
    REQUIRE_OK(c.exec("SELECT seq, CONCAT('row-', seq) FROM seq_1_to_100000", &rows));
    REQUIRE(rows.size() == 100000);
    CHECK(rows[99999][1] == "row-100000");
    CHECK(c.scalar("SELECT SUM(seq) FROM seq_1_to_100000") == "5000050000");
}

TEST_CASE("login errors are worded as MariaDB words them") {
    Conn wrong;
    auto e = wrong.connect({.port = shared_sluice().client_port(), .user = "app", .password = "nope"});
    REQUIRE(e);
    CHECK(e->code == 1045);
    CHECK(e->sql_state == "28000");
    CHECK(e->message == "Access denied for user 'app'@'127.0.0.1' (using password: YES)");
    Conn unknown;
    e = unknown.connect({.port = shared_sluice().client_port(), .user = "ghost", .password = ""});
    REQUIRE(e);
    CHECK(e->code == 1045);
    CHECK(e->message == "Access denied for user 'ghost'@'127.0.0.1' (using password: NO)");
    Conn nodb;
    e = nodb.connect(through_sluice("no_such_db"));
    REQUIRE(e);
    CHECK(e->code == 1049);
    CHECK(e->message == "Unknown database 'no_such_db'");
}

TEST_CASE("server-side prepared statements: every parameter type, NULLs, long data, binary results") {
    setup_schema();
    Conn c;
    connect_or_throw(c, through_sluice("t_path"));
    REQUIRE_OK(
        c.exec("CREATE OR REPLACE TABLE ps (i INT, b BIGINT, d DOUBLE, s VARCHAR(50), bl LONGBLOB, "
               "dt DATETIME, n INT NULL)"));
    MYSQL_STMT* st = mysql_stmt_init(c.raw());
    const char* sql = "INSERT INTO ps VALUES (?, ?, ?, ?, ?, ?, ?)";
    REQUIRE(mysql_stmt_prepare(st, sql, std::strlen(sql)) == 0);
    CHECK(mysql_stmt_param_count(st) == 7);
    int i = -42;
    long long b = 1LL << 40;
    double d = 2.5;
    char s[] = "héllo";
    unsigned long s_len = std::strlen(s);
    MYSQL_TIME dt{};
    dt.year = 2026, dt.month = 11, dt.day = 23, dt.hour = 1, dt.minute = 2, dt.second = 3;
    dt.time_type = MYSQL_TIMESTAMP_DATETIME;
    my_bool is_null = 1;
    MYSQL_BIND p[7]{};
    p[0].buffer_type = MYSQL_TYPE_LONG, p[0].buffer = &i;
    p[1].buffer_type = MYSQL_TYPE_LONGLONG, p[1].buffer = &b;
    p[2].buffer_type = MYSQL_TYPE_DOUBLE, p[2].buffer = &d;
    p[3].buffer_type = MYSQL_TYPE_STRING, p[3].buffer = s, p[3].length = &s_len;
    p[4].buffer_type = MYSQL_TYPE_LONG_BLOB;  // sent with SEND_LONG_DATA below
    p[5].buffer_type = MYSQL_TYPE_DATETIME, p[5].buffer = &dt;
    p[6].buffer_type = MYSQL_TYPE_LONG, p[6].is_null = &is_null;
    REQUIRE(mysql_stmt_bind_param(st, p) == 0);
    std::string piece(100000, 'z');
    for (int k = 0; k < 5; ++k) REQUIRE(mysql_stmt_send_long_data(st, 4, piece.data(), piece.size()) == 0);
    REQUIRE_MESSAGE(mysql_stmt_execute(st) == 0, mysql_stmt_error(st));
    CHECK(mysql_stmt_affected_rows(st) == 1);
    mysql_stmt_close(st);

    CHECK(c.scalar("SELECT CONCAT_WS(',', i, b, d, s, LENGTH(bl), dt, IFNULL(n, 'null')) FROM ps") ==
          "-42,1099511627776,2.5,héllo,500000,2026-11-23 01:02:03,null");

    // Binary result rows of the same values.
    st = mysql_stmt_init(c.raw());
    const char* q = "SELECT i, b, d, n FROM ps WHERE i = ?";
    REQUIRE(mysql_stmt_prepare(st, q, std::strlen(q)) == 0);
    MYSQL_BIND in{};
    in.buffer_type = MYSQL_TYPE_LONG, in.buffer = &i;
    REQUIRE(mysql_stmt_bind_param(st, &in) == 0);
    REQUIRE(mysql_stmt_execute(st) == 0);
    int oi = 0;
    long long ob = 0;
    double od = 0;
    int on = 0;
    my_bool on_null = 0;
    MYSQL_BIND out[4]{};
    out[0].buffer_type = MYSQL_TYPE_LONG, out[0].buffer = &oi;
    out[1].buffer_type = MYSQL_TYPE_LONGLONG, out[1].buffer = &ob;
    out[2].buffer_type = MYSQL_TYPE_DOUBLE, out[2].buffer = &od;
    out[3].buffer_type = MYSQL_TYPE_LONG, out[3].buffer = &on, out[3].is_null = &on_null;
    REQUIRE(mysql_stmt_bind_result(st, out) == 0);
    REQUIRE(mysql_stmt_fetch(st) == 0);
    CHECK(oi == -42);
    CHECK(ob == (1LL << 40));
    CHECK(od == 2.5);
    CHECK(on_null);
    CHECK(mysql_stmt_fetch(st) == MYSQL_NO_DATA);
    mysql_stmt_close(st);
}

TEST_CASE("a cursor fetches rows in batches") {
    Conn c;
    connect_or_throw(c, through_sluice("t_path"));
    MYSQL_STMT* st = mysql_stmt_init(c.raw());
    unsigned long cursor = CURSOR_TYPE_READ_ONLY, prefetch = 7;
    mysql_stmt_attr_set(st, STMT_ATTR_CURSOR_TYPE, &cursor);
    mysql_stmt_attr_set(st, STMT_ATTR_PREFETCH_ROWS, &prefetch);
    const char* q = "SELECT seq FROM seq_1_to_100";
    REQUIRE(mysql_stmt_prepare(st, q, std::strlen(q)) == 0);
    REQUIRE(mysql_stmt_execute(st) == 0);
    long long v = 0, sum = 0;
    MYSQL_BIND out{};
    out.buffer_type = MYSQL_TYPE_LONGLONG, out.buffer = &v;
    REQUIRE(mysql_stmt_bind_result(st, &out) == 0);
    int n = 0;
    while (mysql_stmt_fetch(st) == 0) ++n, sum += v;
    CHECK(n == 100);
    CHECK(sum == 5050);
    mysql_stmt_close(st);
    CHECK(c.scalar("SELECT 'still in sync'") == "still in sync");
}

TEST_CASE("a CALL with several result sets, and multi-statements") {
    Conn c;
    connect_or_throw(c, through_sluice("t_path"));
    REQUIRE_OK(
        c.exec("CREATE OR REPLACE PROCEDURE two_results() BEGIN SELECT 1 AS a; SELECT 2 AS b, 3 AS c; END"));
    REQUIRE(mysql_real_query(c.raw(), "CALL two_results()", 18) == 0);
    int results = 0;
    do {
        if (MYSQL_RES* r = mysql_store_result(c.raw())) {
            ++results;
            mysql_free_result(r);
        }
    } while (mysql_next_result(c.raw()) == 0);
    CHECK(results == 2);
    CHECK(mysql_errno(c.raw()) == 0);
    std::vector<Row> rows;
    REQUIRE_OK(c.exec("SELECT 'x'; SELECT 'y'", &rows));
    CHECK(c.scalar("SELECT 'after'") == "after");
}

TEST_CASE("LOCAL INFILE of 10 MB") {
    Conn c;
    my_bool on = 1;
    mysql_optionsv(c.raw(), MYSQL_OPT_LOCAL_INFILE, &on);
    connect_or_throw(c, through_sluice("t_path"));
    std::string dir = make_temp_dir();
    std::string file = dir + "/data.csv";
    std::string text;
    for (int k = 0; k < 100000; ++k) text += std::to_string(k) + "," + std::string(95, 'a') + "\n";
    write_file(file, text);
    REQUIRE(text.size() > 10'000'000);
    REQUIRE_OK(c.exec("CREATE OR REPLACE TABLE t_infile (k INT, v VARCHAR(100))"));
    auto e = c.exec("LOAD DATA LOCAL INFILE '" + file + "' INTO TABLE t_infile FIELDS TERMINATED BY ','");
    CHECK_MESSAGE(!e, (e ? e->message : ""));
    CHECK(c.scalar("SELECT COUNT(*) FROM t_infile") == "100000");
    remove_tree(dir);
}

TEST_CASE("a 64 MiB BLOB round trip") {
    Conn c;
    unsigned long max = 1UL << 30;
    mysql_optionsv(c.raw(), MYSQL_OPT_MAX_ALLOWED_PACKET, &max);
    connect_or_throw(c, through_sluice("t_path"));
    REQUIRE_OK(c.exec("CREATE OR REPLACE TABLE big (b LONGBLOB)"));
    std::string blob(64 << 20, 'q');
    blob[12345] = 'Q';
    REQUIRE_OK(c.exec("INSERT INTO big VALUES ('" + blob + "')"));
    std::vector<Row> rows;
    REQUIRE_OK(c.exec("SELECT b FROM big", &rows));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][0]->size() == blob.size());
    CHECK(*rows[0][0] == blob);
}

TEST_CASE("COM_RESET_CONNECTION and KILL QUERY of a running statement") {
    Conn c;
    connect_or_throw(c, through_sluice("t_path"));
    REQUIRE_OK(c.exec("SET @v = 5"));
    CHECK(mysql_reset_connection(c.raw()) == 0);
    CHECK(c.scalar("SELECT IFNULL(@v, 'gone')") == "gone");

    // A backend thread id names a connection on one server: inside a transaction the session stays on the
    // primary, where the KILL of that raw id goes too.
    REQUIRE_OK(c.exec("BEGIN"));
    std::string id = c.scalar("SELECT CONNECTION_ID()");
    std::optional<SqlError> slept;
    std::thread t([&] { slept = c.exec("SELECT SLEEP(30)"); });
    Conn killer;
    connect_or_throw(killer, through_sluice());
    for (int k = 0; k < 200; ++k) {
        if (killer.scalar(
                "/* sluice: primary */ SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + id +
                " AND INFO LIKE 'SELECT SLEEP%'") == "1")
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK_FALSE(killer.exec("KILL QUERY " + id));
    t.join();
    // SLEEP() interrupted by KILL QUERY returns 1 rather than an error; either way the statement ended early
    // and the session is usable.
    CHECK(c.scalar("SELECT 'alive'") == "alive");
    REQUIRE_OK(c.exec("COMMIT"));
}

TEST_CASE("bad clients are dropped or answered, and a parallel client never notices") {
    Sluice& s = shared_sluice();
    Conn steady;
    connect_or_throw(steady, through_sluice());
    auto send_raw = [&](const std::string& bytes) {
        int fd = connect_raw(s.client_port());
        REQUIRE(fd >= 0);
        std::string greeting = recv_some(fd, 2000);
        CHECK(greeting.size() > 4);
        if (!bytes.empty())
            CHECK(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == (ssize_t)bytes.size());
        return fd;
    };
    SUBCASE("random bytes instead of a handshake") {
        int fd = send_raw(std::string("\x10\x00\x00\x01garbage-garbage!", 20));
        std::string reply = recv_until_closed(fd, 3000);
        CHECK(reply.find("Bad handshake") != std::string::npos);
        ::close(fd);
    }
    SUBCASE("a truncated packet, then close") {
        int fd = send_raw(std::string("\x50\x00\x00\x01\x85\xa6", 6));
        ::close(fd);
    }
    SUBCASE("a 16 MiB length header with 10 bytes behind it, then close") {
        int fd =
            send_raw(std::string("\xff\xff\xff\x01"
                                 "0123456789",
                                 14));
        ::close(fd);
    }
    SUBCASE("a client that connects and sends nothing is dropped after handshake_timeout") {
        int fd = send_raw("");
        std::string rest = recv_until_closed(fd, 15000);
        CHECK(rest.empty());
        CHECK(closed_by_peer(fd));
        ::close(fd);
    }
    SUBCASE("a COM_QUERY larger than max_packet_size gets ERR 1153") {
        Conn c;
        unsigned long max = 1UL << 30;
        mysql_optionsv(c.raw(), MYSQL_OPT_MAX_ALLOWED_PACKET, &max);
        connect_or_throw(c, through_sluice());
        auto e = c.exec("SELECT '" + std::string(100 << 20, 'x') + "'");
        REQUIRE(e);
        CHECK(e->code == 1153);
    }
    CHECK(steady.scalar("SELECT 'unbothered'") == "unbothered");
}

TEST_CASE("KILL with the connection id the client saw in the greeting (what the CLI's Ctrl-C sends)") {
    // Two workers, and a killer on the other worker than its victim: the kill crosses event loops, as it
    // does whenever Ctrl-C's fresh connection lands on another worker. (The kernel spreads connections over
    // the workers' SO_REUSEPORT listeners by address hash: a few tries find one on the other worker.)
    Sluice s(shared_cluster(), "limits:\n  workers: 2\n");
    const ConnectOptions app{.port = s.client_port(), .user = "app", .password = "app"};
    Conn admin;
    connect_or_throw(admin, {.port = s.admin_port(), .user = "admin", .password = "admin"});
    auto worker_of = [&](unsigned long id) -> std::string {  // a new session shows up a moment after login
        for (int i = 0; i < 50; ++i) {
            for (auto& r : rows_of(admin, "SHOW SESSIONS"))
                if (r["id"] == std::to_string(id)) return r["worker"].value_or("");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return "";
    };
    Conn victim;
    connect_or_throw(victim, app);
    unsigned long greeting_id = mysql_thread_id(victim.raw());
    const std::string victim_worker = worker_of(greeting_id);
    REQUIRE(!victim_worker.empty());
    CHECK(greeting_id >= (1UL << 30));
    std::string backend_id = victim.scalar("SELECT CONNECTION_ID()");
    std::optional<SqlError> slept;
    std::string slept_value;
    std::thread t([&] {
        std::vector<Row> rows;
        slept = victim.exec("SELECT SLEEP(30)", &rows);
        if (!rows.empty()) slept_value = rows[0][0].value_or("NULL");
    });
    std::optional<Conn> killer_slot;
    for (int tries = 0; tries < 40 && !killer_slot; ++tries) {
        killer_slot.emplace();
        connect_or_throw(*killer_slot, app);
        std::string w = worker_of(mysql_thread_id(killer_slot->raw()));
        if (w.empty() || w == victim_worker) killer_slot.reset();
    }
    REQUIRE_MESSAGE(killer_slot, "no connection landed on the other worker in 40 tries");
    Conn& killer = *killer_slot;
    for (int k = 0; k < 200; ++k) {
        if (killer.scalar("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + backend_id +
                          " AND INFO LIKE 'SELECT SLEEP%'") == "1")
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE_OK(killer.exec("KILL QUERY " + std::to_string(greeting_id)));
    t.join();
    // Interrupted: ER_QUERY_INTERRUPTED (1317), or SLEEP() returning 1, depending on where the kill lands.
    CHECK_MESSAGE((slept ? slept->code == 1317 : slept_value == "1"), describe(slept));
    CHECK(victim.scalar("SELECT 'still connected'") == "still connected");

    REQUIRE_OK(killer.exec("KILL " + std::to_string(greeting_id)));
    std::optional<SqlError> after;
    for (int k = 0; k < 100 && !after; ++k) {
        after = victim.exec("SELECT 1");
        if (!after) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(after);
    CHECK((after->code == 2013 || after->code == 2006));

    auto unknown = killer.exec("KILL " + std::to_string((1UL << 30) + 999999));
    REQUIRE(unknown);
    CHECK(unknown->code == 1094);
}

TEST_CASE("COM_CHANGE_USER: a fresh session for the new login, and a wrong password refused") {
    Conn c;
    connect_or_throw(c, through_sluice());
    REQUIRE_OK(c.exec("SET @x = 1"));
    REQUIRE(mysql_change_user(c.raw(), "app", "app", "t_path") == 0);
    CHECK(c.scalar("SELECT DATABASE()") == "t_path");
    CHECK(c.scalar("SELECT CURRENT_USER()") == "app@%");
    CHECK(c.scalar("SELECT IFNULL(@x, 'reset')") == "reset");
    CHECK(mysql_change_user(c.raw(), "app", "wrong", nullptr) != 0);
    CHECK(mysql_errno(c.raw()) == 1045);
}

TEST_CASE("accounts: a user created after start-up logs in at once; host restrictions hold") {
    Sluice& s = shared_sluice();
    Conn root;
    connect_or_throw(root, shared_cluster().root(0));
    REQUIRE_OK(root.exec("CREATE USER 'late'@'%' IDENTIFIED BY 'late-pw'"));
    REQUIRE_OK(root.exec("GRANT SELECT ON *.* TO 'late'@'%'"));
    REQUIRE_OK(root.exec("CREATE USER 'remote'@'10.1.2.%' IDENTIFIED BY 'r'"));
    Conn late;
    connect_or_throw(late, {.port = s.client_port(), .user = "late", .password = "late-pw"});
    CHECK(late.scalar("SELECT CURRENT_USER()") == "late@%");

    Conn remote;
    auto e = remote.connect({.port = s.client_port(), .user = "remote", .password = "r"});
    REQUIRE(e);
    CHECK(e->code == 1045);
    CHECK(e->message == "Access denied for user 'remote'@'127.0.0.1' (using password: YES)");

    // A password changed on the server is picked up on the next login.
    REQUIRE_OK(root.exec("ALTER USER 'late'@'%' IDENTIFIED BY 'new-pw'"));
    Conn again;
    connect_or_throw(again, {.port = s.client_port(), .user = "late", .password = "new-pw", .timeout_s = 10});
    CHECK(again.scalar("SELECT 1") == "1");
    REQUIRE_OK(root.exec("DROP USER 'late'@'%', 'remote'@'10.1.2.%'"));
}

TEST_CASE("limits: max_client_connections, max_backend_connections, idle_timeout") {
    Cluster& c = shared_cluster();
    Sluice s(c,
             "limits:\n  workers: 1\n  max_client_connections: 3\n  max_backend_connections: 2\n"
             "  connect_timeout: 500ms\n  idle_timeout: 2s\n");
    ConnectOptions app{.port = s.client_port(), .user = "app", .password = "app"};
    Conn a, b;
    connect_or_throw(a, app);
    connect_or_throw(b, app);
    // A third client that has its greeting (so Sluice counts it) but has not logged in yet...
    int raw = connect_raw(s.client_port());
    REQUIRE(raw >= 0);
    CHECK(recv_some(raw, 5000).size() > 4);
    // ...makes three: the fourth is refused at the door with ERR 1040.
    Conn fourth;
    auto e = fourth.connect(app);
    REQUIRE(e);
    CHECK(e->code == 1040);
    CHECK(e->message == "Too many connections");
    ::close(raw);
    // A third client is let in once that one has gone, but there is no backend slot left for it: it waits
    // connect_timeout, then is told why. (Retried while Sluice has not yet seen the raw client go.)
    for (int k = 0; k < 100; ++k) {
        Conn third;
        e = third.connect(app);
        if (!e || e->message != "Too many connections") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(e);
    CHECK(e->code == 1040);
    CHECK(e->message == "Too many connections to backend 'db1' (max_backend_connections 2)");
    // idle_timeout: a and b are closed after two seconds of silence, which frees their backend slots.
    std::this_thread::sleep_for(std::chrono::milliseconds(3000));
    CHECK(a.exec("SELECT 1"));
    Conn fresh;
    connect_or_throw(fresh, app);
    CHECK(fresh.scalar("SELECT 'slot free'") == "slot free");
}

TEST_CASE("prepared statements: the remaining parameter types round-trip through Sluice") {
    Conn c;
    connect_or_throw(c, through_sluice("t_path"));
    REQUIRE_OK(
        c.exec("CREATE OR REPLACE TABLE ps2 (t TINYINT, sm SMALLINT, m MEDIUMINT, f FLOAT, dc DECIMAL(10,3), "
               "d DATE, tm TIME(3), ts TIMESTAMP(6) NULL, y YEAR, bt BIT(8), e ENUM('a','b'), j JSON)"));
    MYSQL_STMT* st = mysql_stmt_init(c.raw());
    const char* sql = "INSERT INTO ps2 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    REQUIRE(mysql_stmt_prepare(st, sql, std::strlen(sql)) == 0);
    signed char t = -7;
    short sm = -300;
    int m = 70000;
    float f = 1.5f;
    char dc[] = "1234.567";
    unsigned long dc_len = std::strlen(dc);
    MYSQL_TIME d{}, tm{}, ts{};
    d.year = 2026, d.month = 2, d.day = 28, d.time_type = MYSQL_TIMESTAMP_DATE;
    tm.hour = 13, tm.minute = 14, tm.second = 15, tm.second_part = 123000,
    tm.time_type = MYSQL_TIMESTAMP_TIME;
    ts.year = 2026, ts.month = 11, ts.day = 23, ts.hour = 3, ts.second_part = 654321;
    ts.time_type = MYSQL_TIMESTAMP_DATETIME;
    short y = 2026;
    char bt[] = "\x81";
    unsigned long bt_len = 1;
    char e[] = "b";
    unsigned long e_len = 1;
    char j[] = "{\"k\": [1, 2]}";
    unsigned long j_len = std::strlen(j);
    MYSQL_BIND p[12]{};
    p[0].buffer_type = MYSQL_TYPE_TINY, p[0].buffer = &t;
    p[1].buffer_type = MYSQL_TYPE_SHORT, p[1].buffer = &sm;
    p[2].buffer_type = MYSQL_TYPE_LONG, p[2].buffer = &m;
    p[3].buffer_type = MYSQL_TYPE_FLOAT, p[3].buffer = &f;
    p[4].buffer_type = MYSQL_TYPE_NEWDECIMAL, p[4].buffer = dc, p[4].length = &dc_len;
    p[5].buffer_type = MYSQL_TYPE_DATE, p[5].buffer = &d;
    p[6].buffer_type = MYSQL_TYPE_TIME, p[6].buffer = &tm;
    p[7].buffer_type = MYSQL_TYPE_DATETIME, p[7].buffer = &ts;
    p[8].buffer_type = MYSQL_TYPE_SHORT, p[8].buffer = &y;
    p[9].buffer_type = MYSQL_TYPE_BLOB, p[9].buffer = bt, p[9].length = &bt_len;
    p[10].buffer_type = MYSQL_TYPE_STRING, p[10].buffer = e, p[10].length = &e_len;
    p[11].buffer_type = MYSQL_TYPE_STRING, p[11].buffer = j, p[11].length = &j_len;
    REQUIRE(mysql_stmt_bind_param(st, p) == 0);
    REQUIRE_MESSAGE(mysql_stmt_execute(st) == 0, mysql_stmt_error(st));
    REQUIRE_MESSAGE(mysql_stmt_execute(st) == 0, mysql_stmt_error(st));  // re-executed: types not resent
    mysql_stmt_close(st);
    CHECK(c.scalar("SELECT COUNT(*) FROM ps2") == "2");
    CHECK(c.scalar("SELECT CONCAT_WS('|', t, sm, m, f, dc, d, tm, ts, y, HEX(bt), e, j) FROM ps2 LIMIT 1") ==
          "-7|-300|70000|1.5|1234.567|2026-02-28|13:14:15.123|2026-11-23 03:00:00.654321|2026|81|b|{\"k\": "
          "[1, 2]}");
}

TEST_CASE("pooled connections: what one client left never reaches the next") {
    // One worker, so that every client draws from one pool.
    Sluice s(shared_cluster(), "limits:\n  workers: 1\n");
    ConnectOptions app{.port = s.client_port(), .user = "app", .password = "app"};
    auto stat = [&](const std::string& name) {
        Conn a;
        connect_or_throw(a, {.port = s.admin_port(), .user = "admin", .password = "admin"});
        for (auto& r : rows_of(a, "SHOW STATS"))
            if (r["name"] == name) return std::stoull(r["value"].value_or("0"));
        return 0ULL;
    };
    auto resets = [&] {  // COM_RESET_CONNECTION sent by the pool, over every backend
        Conn a;
        connect_or_throw(a, {.port = s.admin_port(), .user = "admin", .password = "admin"});
        std::uint64_t n = 0;
        for (auto& r : rows_of(a, "SHOW POOLS")) n += std::stoull(r["resets"].value_or("0"));
        return n;
    };
    // A closed client's connections go back to the pool when Sluice sees the close, a moment later: wait
    // until no client session is left (its connections are released before it leaves SHOW SESSIONS).
    auto wait_sessions_gone = [&] {
        Conn a;
        connect_or_throw(a, {.port = s.admin_port(), .user = "admin", .password = "admin"});
        for (int i = 0; i < 100 && !rows_of(a, "SHOW SESSIONS").empty(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CHECK(rows_of(a, "SHOW SESSIONS").empty());
    };
    auto resets_before = resets();
    for (int round = 0; round < 3; ++round) {
        {
            Conn a;
            connect_or_throw(a, app);
            REQUIRE_OK(a.exec("SET @leak = 7"));
            CHECK(a.scalar("SELECT @leak") == "7");
            std::vector<Row> rows;
            REQUIRE_OK(a.exec("SELECT CAST('x' AS INT)", &rows));  // leaves a warning behind
            REQUIRE_OK(a.exec("CREATE DATABASE IF NOT EXISTS t_pool"));
            REQUIRE_OK(a.exec("CREATE TEMPORARY TABLE IF NOT EXISTS t_pool.t_leak (i INT)"));
        }
        Conn b;
        connect_or_throw(b, app);
        CHECK(b.scalar("SELECT IFNULL(@leak, 'none')") == "none");
        CHECK(b.scalar("/* sluice: primary */ SELECT IFNULL(@leak, 'none')") == "none");
        std::vector<Row> warnings;
        REQUIRE_OK(b.exec("SHOW WARNINGS", &warnings));
        CHECK(warnings.empty());
        CHECK(b.exec(
            "/* sluice: primary */ SELECT * FROM t_pool.t_leak"));  // the temporary table is gone: an error
    }
    wait_sessions_gone();
    auto resets_leaky = resets() - resets_before;
    MESSAGE("connections reset after the 3 clients that changed their session: " << resets_leaky);
    CHECK(resets_leaky >= 3);
    // Plain reads leave nothing to reset: their connections go back to the pool at once and are reused.
    auto hits = stat("pool_hits");
    auto resets_plain = resets();
    for (int i = 0; i < 5; ++i) {
        Conn c;
        connect_or_throw(c, app);
        CHECK(c.scalar("SELECT 1") == "1");
    }
    auto hits_after = stat("pool_hits");
    MESSAGE("pool hits over 5 connect / SELECT 1 / quit rounds: " << hits_after - hits);
    CHECK(hits_after - hits >= 5);
    wait_sessions_gone();
    CHECK(resets() == resets_plain);  // and none of them was reset
}
