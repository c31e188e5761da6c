#include "protocol/command.hpp"

#include <array>

namespace sluice::protocol {

namespace {
struct CommandInfo {
    std::string_view name;
    ResponseKind response = ResponseKind::unsupported;
    bool known = false;
};

struct Entry {
    CommandByte byte;
    std::string_view name;
    ResponseKind response;
};

constexpr Entry kCommands[] = {
    {CommandByte::sleep, "COM_SLEEP", ResponseKind::ok},
    {CommandByte::quit, "COM_QUIT", ResponseKind::none},
    {CommandByte::init_db, "COM_INIT_DB", ResponseKind::ok},
    {CommandByte::query, "COM_QUERY", ResponseKind::result},
    {CommandByte::field_list, "COM_FIELD_LIST", ResponseKind::field_list},
    {CommandByte::create_db, "COM_CREATE_DB", ResponseKind::ok},
    {CommandByte::drop_db, "COM_DROP_DB", ResponseKind::ok},
    {CommandByte::refresh, "COM_REFRESH", ResponseKind::ok},
    {CommandByte::shutdown, "COM_SHUTDOWN", ResponseKind::eof_or_ok},
    {CommandByte::statistics, "COM_STATISTICS", ResponseKind::statistics},
    {CommandByte::process_info, "COM_PROCESS_INFO", ResponseKind::result},
    {CommandByte::connect, "COM_CONNECT", ResponseKind::unsupported},
    {CommandByte::process_kill, "COM_PROCESS_KILL", ResponseKind::ok},
    {CommandByte::debug, "COM_DEBUG", ResponseKind::eof_or_ok},
    {CommandByte::ping, "COM_PING", ResponseKind::ok},
    {CommandByte::time, "COM_TIME", ResponseKind::unsupported},
    {CommandByte::delayed_insert, "COM_DELAYED_INSERT", ResponseKind::unsupported},
    {CommandByte::change_user, "COM_CHANGE_USER", ResponseKind::auth},
    {CommandByte::binlog_dump, "COM_BINLOG_DUMP", ResponseKind::unsupported},
    {CommandByte::table_dump, "COM_TABLE_DUMP", ResponseKind::unsupported},
    {CommandByte::connect_out, "COM_CONNECT_OUT", ResponseKind::unsupported},
    {CommandByte::register_slave, "COM_REGISTER_SLAVE", ResponseKind::ok},
    {CommandByte::stmt_prepare, "COM_STMT_PREPARE", ResponseKind::prepare},
    {CommandByte::stmt_execute, "COM_STMT_EXECUTE", ResponseKind::result},
    {CommandByte::stmt_send_long_data, "COM_STMT_SEND_LONG_DATA", ResponseKind::none},
    {CommandByte::stmt_close, "COM_STMT_CLOSE", ResponseKind::none},
    {CommandByte::stmt_reset, "COM_STMT_RESET", ResponseKind::ok},
    {CommandByte::set_option, "COM_SET_OPTION", ResponseKind::eof_or_ok},
    {CommandByte::stmt_fetch, "COM_STMT_FETCH", ResponseKind::fetch},
    {CommandByte::daemon, "COM_DAEMON", ResponseKind::unsupported},
    {CommandByte::binlog_dump_gtid, "COM_BINLOG_DUMP_GTID", ResponseKind::unsupported},
    {CommandByte::reset_connection, "COM_RESET_CONNECTION", ResponseKind::ok},
    {CommandByte::clone, "COM_CLONE", ResponseKind::unsupported},
    {CommandByte::stmt_bulk_execute, "COM_STMT_BULK_EXECUTE", ResponseKind::result},
    {CommandByte::slave_worker, "COM_SLAVE_WORKER", ResponseKind::unsupported},
    {CommandByte::slave_io, "COM_SLAVE_IO", ResponseKind::unsupported},
    {CommandByte::slave_sql, "COM_SLAVE_SQL", ResponseKind::unsupported},
    {CommandByte::multi, "COM_MULTI", ResponseKind::unsupported},
};

constexpr std::array<CommandInfo, 256> build_table() {
    std::array<CommandInfo, 256> t{};
    // A server answers a byte it does not know with ERR 1047, so if a proxy forwards one anyway (rather than
    // refusing it itself with unknown_command_error()) the response is tracked as "OK or ERR".
    for (auto& info : t) info = CommandInfo{"COM_UNKNOWN", ResponseKind::ok, false};
    for (const auto& e : kCommands)
        t[static_cast<std::uint8_t>(e.byte)] = CommandInfo{e.name, e.response, true};
    return t;
}

constexpr std::array<CommandInfo, 256> kTable = build_table();
}  // namespace

bool Command::known() const {
    return kTable[byte].known;
}
std::string_view Command::name() const {
    return kTable[byte].name;
}
ResponseKind Command::response() const {
    return kTable[byte].response;
}

std::optional<Command> command_of(std::string_view payload) {
    if (payload.empty()) return std::nullopt;
    return Command{static_cast<std::uint8_t>(payload.front())};
}

ErrPacket unknown_command_error() {
    return ErrPacket::make(er::kUnknownCom, "Unknown command");
}

}  // namespace sluice::protocol
