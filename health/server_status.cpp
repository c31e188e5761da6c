#include "health/server_status.hpp"

#include <charconv>

namespace sluice::health {

namespace {

std::optional<std::string> get(const RowMap& row, std::string_view key) {
    auto it = row.find(key);
    if (it == row.end()) return std::nullopt;
    return it->second;
}

template <class T>
std::optional<T> number(const std::optional<std::string>& s) {
    if (!s) return std::nullopt;
    T v{};
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
    if (ec != std::errc{} || end != s->data() + s->size()) return std::nullopt;
    return v;
}

}  // namespace

IoThread io_thread_from_string(std::string_view s) {
    if (s == "Yes") return IoThread::yes;
    if (s == "Connecting" || s == "Preparing") return IoThread::connecting;
    return IoThread::no;
}

std::string_view to_string(IoThread t) {
    switch (t) {
        case IoThread::no: return "No";
        case IoThread::connecting: return "Connecting";
        case IoThread::yes: return "Yes";
    }
    return "No";
}

std::optional<SlaveStatus> slave_status_from_row(const RowMap& row) {
    SlaveStatus s;
    auto host = get(row, "Master_Host");
    auto port = number<std::uint16_t>(get(row, "Master_Port"));
    auto io_pos = GtidSet::parse(get(row, "Gtid_IO_Pos").value_or(""));
    if (!host || !port || !io_pos) return std::nullopt;
    s.connection_name = get(row, "Connection_name").value_or("");
    s.master_host = *host;
    s.master_port = *port;
    s.master_server_id = number<std::uint32_t>(get(row, "Master_Server_Id"));
    if (s.master_server_id == 0u) s.master_server_id.reset();
    s.io_thread = io_thread_from_string(get(row, "Slave_IO_Running").value_or("No"));
    s.sql_running = get(row, "Slave_SQL_Running") == "Yes";
    s.seconds_behind = number<std::int64_t>(get(row, "Seconds_Behind_Master"));
    s.gtid_io_pos = *io_pos;
    auto using_gtid = get(row, "Using_Gtid").value_or("No");
    s.using_gtid = using_gtid == "Slave_Pos" || using_gtid == "Current_Pos";
    s.last_io_errno = number<unsigned>(get(row, "Last_IO_Errno")).value_or(0);
    s.last_io_error = get(row, "Last_IO_Error").value_or("");
    s.last_sql_errno = number<unsigned>(get(row, "Last_SQL_Errno")).value_or(0);
    s.last_sql_error = get(row, "Last_SQL_Error").value_or("");
    return s;
}

GtidSet ServerStatus::history() const {
    GtidSet h = gtid_binlog_state;
    h.merge(gtid_slave_pos);
    return h;
}

const SlaveStatus* ServerStatus::slave_to(const std::string& host, std::uint16_t port) const {
    for (const SlaveStatus& s : slaves)
        if (s.master_host == host && s.master_port == port) return &s;
    return nullptr;
}

}  // namespace sluice::health
