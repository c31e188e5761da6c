// The exact SQL of promotion, re-pointing and rejoin (MARIADB-NOTES: "Failover and rejoin").

#include <doctest/doctest.h>

#include "health/recipes.hpp"
#include "health/sql_conn.hpp"

using namespace sluice::health;

namespace {
const ReplicationSource kSource{"127.0.0.1", 3312, "repl", "p'w"};
}

TEST_CASE("promotion and re-pointing") {
    CHECK(stop_io_sql("") == std::vector<std::string>{"STOP SLAVE IO_THREAD"});
    CHECK(stop_io_sql("dc1") == std::vector<std::string>{"STOP SLAVE 'dc1' IO_THREAD"});
    CHECK(promote_sql("") ==
          std::vector<std::string>{"STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only = 0"});
    CHECK(change_master_sql("", kSource) ==
          std::vector<std::string>{
              "STOP SLAVE",
              "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = 3312, MASTER_USER = 'repl', "
              "MASTER_PASSWORD = 'p\\'w', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1",
              "START SLAVE"});
}

TEST_CASE(
    "semi-sync: the primary side before the promotion, the replica side while the IO thread is stopped") {
    CHECK(semi_sync_primary_sql() == std::vector<std::string>{"SET GLOBAL rpl_semi_sync_master_enabled = 1"});
    CHECK(semi_sync_primary_off_sql() ==
          std::vector<std::string>{"SET GLOBAL rpl_semi_sync_master_enabled = 0"});
    ReplicationSource semi = kSource;
    semi.semi_sync = true;
    const std::vector<std::string> repoint = change_master_sql("", semi);
    REQUIRE(repoint.size() == 5);
    CHECK(repoint[0] == "STOP SLAVE");
    CHECK(repoint[1] == "SET GLOBAL rpl_semi_sync_master_enabled = 0");
    CHECK(repoint[2] == "SET GLOBAL rpl_semi_sync_slave_enabled = 1");
    CHECK(repoint[3].starts_with("CHANGE MASTER TO "));
    CHECK(repoint[4] == "START SLAVE");

    ServerStatus former;
    former.log_bin = true;
    former.log_slave_updates = true;
    const std::vector<std::string> rejoin = rejoin_sql(former, semi);
    REQUIRE(rejoin.size() == 7);
    CHECK(rejoin[3] == "SET GLOBAL rpl_semi_sync_master_enabled = 0");
    CHECK(rejoin[4] == "SET GLOBAL rpl_semi_sync_slave_enabled = 1");
    CHECK(rejoin[6] == "START SLAVE");
}

TEST_CASE("rejoin sets gtid_slave_pos from the binlog before following the primary") {
    ServerStatus former;
    former.log_bin = true;
    former.log_slave_updates = true;
    const std::vector<std::string> expected{
        "SET GLOBAL read_only = 1", "STOP SLAVE", "SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos",
        "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = 3312, MASTER_USER = 'repl', "
        "MASTER_PASSWORD = 'p\\'w', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1",
        "START SLAVE"};
    CHECK(rejoin_sql(former, kSource) == expected);

    ServerStatus stale;  // a replica that still points at the old primary
    stale.log_bin = true;
    stale.log_slave_updates = true;
    stale.slaves.push_back(SlaveStatus{});
    auto sql = rejoin_sql(stale, kSource);
    REQUIRE(sql.size() == 6);
    CHECK(sql[1] == "STOP SLAVE");
    CHECK(sql[2] == "RESET SLAVE ALL");

    ServerStatus no_binlog;
    CHECK(rejoin_sql(no_binlog, kSource).size() == 4);  // its gtid_slave_pos is all it has
}

TEST_CASE("quoting and timeouts") {
    CHECK(quote("a'b\\c") == "'a\\'b\\\\c'");
    CHECK(timeout_seconds(std::chrono::milliseconds(1)) == 1);
    CHECK(timeout_seconds(std::chrono::milliseconds(1000)) == 1);
    CHECK(timeout_seconds(std::chrono::milliseconds(1001)) == 2);
    CHECK(timeout_seconds(std::chrono::milliseconds(0)) == 1);
}
