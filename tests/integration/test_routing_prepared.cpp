// Prepared statements (COM_STMT_*) through the read/write split, all in one session: a prepared read runs on
// a replica and a prepared write on the primary, each re-executed with new parameters; long data reaches the
// backend that executes; closing works.

#include <doctest/doctest.h>
#include <mysql.h>

#include <cstring>
#include <map>
#include <random>

#include "tests/integration/routing_support.hpp"

using namespace sluice::test;

namespace {

// A prepared statement that closes itself.
class Stmt {
  public:
    Stmt(Conn& c, const std::string& sql) : st_(mysql_stmt_init(c.raw())) {
        REQUIRE(st_);
        REQUIRE_MESSAGE(mysql_stmt_prepare(st_, sql.data(), sql.size()) == 0, mysql_stmt_error(st_));
    }
    ~Stmt() {
        if (st_) mysql_stmt_close(st_);
    }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    MYSQL_STMT* get() { return st_; }
    // Closes now and returns what mysql_stmt_close said (0 = success).
    my_bool close() {
        my_bool r = mysql_stmt_close(st_);
        st_ = nullptr;
        return r;
    }

  private:
    MYSQL_STMT* st_;
};

// Runs `SELECT sid, ? FROM t_route.whoami` with `value`; returns the server id, checks the echo.
std::string select_echo(Stmt& st, long long value) {
    MYSQL_BIND in{};
    in.buffer_type = MYSQL_TYPE_LONGLONG, in.buffer = &value;
    REQUIRE(mysql_stmt_bind_param(st.get(), &in) == 0);
    REQUIRE_MESSAGE(mysql_stmt_execute(st.get()) == 0, mysql_stmt_error(st.get()));
    int sid = 0;
    long long echo = 0;
    MYSQL_BIND out[2]{};
    out[0].buffer_type = MYSQL_TYPE_LONG, out[0].buffer = &sid;
    out[1].buffer_type = MYSQL_TYPE_LONGLONG, out[1].buffer = &echo;
    REQUIRE(mysql_stmt_bind_result(st.get(), out) == 0);
    REQUIRE(mysql_stmt_fetch(st.get()) == 0);
    CHECK(echo == value);
    CHECK(mysql_stmt_fetch(st.get()) == MYSQL_NO_DATA);
    mysql_stmt_free_result(st.get());
    return std::to_string(sid);
}

}  // namespace

TEST_CASE("routing: prepared statements in one session (replica reads, primary writes, long data, close)") {
    Routed r = routed();
    Conn c;
    connect_routed(c);
    std::map<std::string, long long> by;

    Stmt sel(c, "SELECT sid, ? FROM t_route.whoami");
    for (long long k = 1; k <= 5; ++k) {
        std::string sid = select_echo(sel, k * 11);
        ++by[sid];
        CHECK_MESSAGE(r.nodes.is_replica(sid), "prepared SELECT ran on server " << sid);
    }

    // A prepared INSERT, executed five times with new values: every row recorded the primary's whoami.
    std::string tag = "ps-" + std::to_string(std::random_device{}());
    Stmt ins(c, "INSERT INTO t_route.items (v, sid) SELECT ?, sid FROM t_route.whoami");
    for (int k = 1; k <= 5; ++k) {
        std::string v = tag + "-" + std::to_string(k);
        unsigned long len = v.size();
        MYSQL_BIND in{};
        in.buffer_type = MYSQL_TYPE_STRING, in.buffer = v.data(), in.length = &len;
        REQUIRE(mysql_stmt_bind_param(ins.get(), &in) == 0);
        REQUIRE_MESSAGE(mysql_stmt_execute(ins.get()) == 0, mysql_stmt_error(ins.get()));
        CHECK(mysql_stmt_affected_rows(ins.get()) == 1);
    }
    Conn primary;
    connect_or_throw(primary, shared_cluster().app(0));
    CHECK(primary.scalar("SELECT COUNT(*) FROM t_route.items WHERE v LIKE '" + tag +
                         "-%' AND sid = " + r.nodes.primary()) == "5");

    // The prepared SELECT again, after the session wrote: still a replica (read-your-writes waits there for
    // the session's GTID instead of moving the read to the primary).
    for (long long k = 6; k <= 8; ++k) {
        std::string sid = select_echo(sel, k * 11);
        ++by[sid];
        CHECK_MESSAGE(r.nodes.is_replica(sid), "prepared SELECT after the writes ran on server " << sid);
    }
    MESSAGE("8 executions of one prepared SELECT: " << describe_split(by, r.nodes));

    // Long data: three SEND_LONG_DATA pieces, then the SELECT that returns them.
    Stmt ld(c, "SELECT ?, sid FROM t_route.whoami");
    MYSQL_BIND in{};
    in.buffer_type = MYSQL_TYPE_LONG_BLOB;
    REQUIRE(mysql_stmt_bind_param(ld.get(), &in) == 0);
    std::string sent;
    for (char piece : {'a', 'b', 'c'}) {
        std::string chunk(100000, piece);
        REQUIRE(mysql_stmt_send_long_data(ld.get(), 0, chunk.data(), chunk.size()) == 0);
        sent += chunk;
    }
    REQUIRE_MESSAGE(mysql_stmt_execute(ld.get()) == 0, mysql_stmt_error(ld.get()));
    std::string got(sent.size() + 16, '\0');
    unsigned long got_len = 0;
    int sid = 0;
    MYSQL_BIND out[2]{};
    out[0].buffer_type = MYSQL_TYPE_LONG_BLOB, out[0].buffer = got.data(), out[0].buffer_length = got.size(),
    out[0].length = &got_len;
    out[1].buffer_type = MYSQL_TYPE_LONG, out[1].buffer = &sid;
    REQUIRE(mysql_stmt_bind_result(ld.get(), out) == 0);
    REQUIRE(mysql_stmt_fetch(ld.get()) == 0);
    got.resize(got_len);
    CHECK(got.size() == sent.size());
    CHECK(got == sent);
    MESSAGE("the long-data SELECT ran on server " << sid);

    CHECK(ld.close() == 0);
    CHECK(ins.close() == 0);
    CHECK(sel.close() == 0);
    // The session is in step after the closes (COM_STMT_CLOSE has no answer), and prepares anew.
    CHECK(c.scalar("SELECT 'after close'") == "after close");
    Stmt again(c, "SELECT sid, ? FROM t_route.whoami");
    CHECK(r.nodes.is_replica(select_echo(again, 99)));
}
