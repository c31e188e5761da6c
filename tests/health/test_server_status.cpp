// What a check reads, parsed: the variables row and SHOW ALL SLAVES STATUS rows.

#include <doctest/doctest.h>

#include "health/probe.hpp"
#include "health/server_status.hpp"

using namespace sluice::health;

namespace {

RowMap slave_row() {
    return {{"Connection_name", ""},     {"Master_Host", "127.0.0.1"}, {"Master_Port", "3311"},
            {"Slave_IO_Running", "Yes"}, {"Slave_SQL_Running", "Yes"}, {"Seconds_Behind_Master", "3"},
            {"Master_Server_Id", "1"},   {"Using_Gtid", "Slave_Pos"},  {"Gtid_IO_Pos", "0-1-8"},
            {"Last_IO_Errno", "0"},      {"Last_IO_Error", ""},        {"Last_SQL_Errno", "0"},
            {"Last_SQL_Error", ""}};
}

RowMap vars_row() {
    return {{"server_id", "2"},
            {"version", "10.11.19-MariaDB"},
            {"read_only", "1"},
            {"log_bin", "1"},
            {"log_slave_updates", "1"},
            {"gtid_current_pos", "0-1-8"},
            {"gtid_binlog_pos", "0-1-8"},
            {"gtid_slave_pos", "0-1-8"},
            {"gtid_binlog_state", "0-1-8,0-2-3"},
            {"semi_sync_master_enabled", "0"},
            {"semi_sync_master_status", "OFF"},
            {"semi_sync_slave_status", "ON"}};
}

}  // namespace

TEST_CASE("a SHOW ALL SLAVES STATUS row") {
    auto s = slave_status_from_row(slave_row());
    REQUIRE(s);
    CHECK(s->master_host == "127.0.0.1");
    CHECK(s->master_port == 3311);
    CHECK(s->io_thread == IoThread::yes);
    CHECK(s->sql_running);
    CHECK(s->seconds_behind == 3);
    CHECK(s->master_server_id == 1u);
    CHECK(s->using_gtid);
    CHECK(s->gtid_io_pos.to_string() == "0-1-8");

    RowMap lost = slave_row();
    lost["Slave_IO_Running"] = "Connecting";
    lost["Seconds_Behind_Master"] = std::nullopt;
    lost["Last_IO_Errno"] = "2003";
    lost["Last_IO_Error"] = "error reconnecting to master";
    lost["Master_Server_Id"] = "0";
    s = slave_status_from_row(lost);
    REQUIRE(s);
    CHECK(s->io_thread == IoThread::connecting);
    CHECK_FALSE(s->seconds_behind);
    CHECK(s->last_io_errno == 2003);
    CHECK_FALSE(s->master_server_id);  // 0: never connected

    for (const char* essential : {"Master_Host", "Master_Port"}) {
        RowMap broken = slave_row();
        broken.erase(essential);
        CHECK_FALSE(slave_status_from_row(broken));
    }
    RowMap bad_pos = slave_row();
    bad_pos["Gtid_IO_Pos"] = "garbage";
    CHECK_FALSE(slave_status_from_row(bad_pos));
}

TEST_CASE("Slave_IO_Running values") {
    CHECK(io_thread_from_string("Yes") == IoThread::yes);
    CHECK(io_thread_from_string("Connecting") == IoThread::connecting);
    CHECK(io_thread_from_string("Preparing") == IoThread::connecting);
    CHECK(io_thread_from_string("No") == IoThread::no);
    CHECK(io_thread_from_string("") == IoThread::no);
}

TEST_CASE("a check's variables and replication rows make a ServerStatus") {
    std::string error;
    auto s = parse_server_status(vars_row(), {slave_row()}, error);
    REQUIRE(s);
    CHECK(s->server_id == 2);
    CHECK(s->read_only);
    CHECK(s->log_bin);
    CHECK(s->log_slave_updates);
    CHECK(s->gtid_binlog_state.to_string() == "0-1-8,0-2-3");
    CHECK(s->semi_sync_slave_on);
    CHECK_FALSE(s->semi_sync_master_on);
    REQUIRE(s->slaves.size() == 1);
    CHECK(s->slave_to("127.0.0.1", 3311) == &s->slaves[0]);
    CHECK(s->slave_to("127.0.0.1", 3312) == nullptr);
    CHECK(s->history().to_string() == "0-1-8,0-2-3");

    RowMap bad = vars_row();
    bad["gtid_slave_pos"] = "0-1";
    CHECK_FALSE(parse_server_status(bad, {}, error));
    CHECK(error == "gtid_slave_pos does not parse: '0-1'");
    bad = vars_row();
    bad["server_id"] = "x";
    CHECK_FALSE(parse_server_status(bad, {}, error));
    CHECK(error == "server_id does not parse: 'x'");
}
