#pragma once
// Command-phase request identification: the first payload byte names the command. Every byte MySQL or
// MariaDB assigns is listed; anything else is "unknown" and can be refused with one ERR.

#include <cstdint>
#include <optional>
#include <string_view>

#include "protocol/err_packet.hpp"

namespace sluice::protocol {

enum class CommandByte : std::uint8_t {
    sleep = 0x00,
    quit = 0x01,
    init_db = 0x02,
    query = 0x03,
    field_list = 0x04,
    create_db = 0x05,
    drop_db = 0x06,
    refresh = 0x07,
    shutdown = 0x08,
    statistics = 0x09,
    process_info = 0x0A,
    connect = 0x0B,
    process_kill = 0x0C,
    debug = 0x0D,
    ping = 0x0E,
    time = 0x0F,
    delayed_insert = 0x10,
    change_user = 0x11,
    binlog_dump = 0x12,
    table_dump = 0x13,
    connect_out = 0x14,
    register_slave = 0x15,
    stmt_prepare = 0x16,
    stmt_execute = 0x17,
    stmt_send_long_data = 0x18,
    stmt_close = 0x19,
    stmt_reset = 0x1A,
    set_option = 0x1B,
    stmt_fetch = 0x1C,
    daemon = 0x1D,
    binlog_dump_gtid = 0x1E,  // MySQL; MariaDB calls 0x1E COM_UNIMPLEMENTED
    reset_connection = 0x1F,
    clone = 0x20,              // MySQL only
    stmt_bulk_execute = 0xFA,  // MariaDB
    slave_worker = 0xFB,       // MariaDB, internal
    slave_io = 0xFC,           // MariaDB, internal
    slave_sql = 0xFD,          // MariaDB, internal
    multi = 0xFE,              // MariaDB (removed in 10.6)
};

// What the server sends back; the response tracker's starting point.
enum class ResponseKind : std::uint8_t {
    none,         // no response at all (COM_QUIT closes; STMT_CLOSE and STMT_SEND_LONG_DATA are silent)
    ok,           // OK or ERR
    eof_or_ok,    // EOF (an 0xFE OK under CLIENT_DEPRECATE_EOF), OK or ERR
    result,       // OK, ERR, LOCAL INFILE request or result sets, possibly several (MORE_RESULTS_EXISTS)
    field_list,   // column definitions ended by EOF, or ERR
    statistics,   // one human-readable string packet, or ERR
    prepare,      // PREPARE_OK with parameter and column blocks, or ERR
    fetch,        // binary rows ended by EOF, or ERR
    auth,         // an authentication exchange (COM_CHANGE_USER)
    unsupported,  // a stream or an internal command a proxy does not relay
};

struct Command {
    std::uint8_t byte = 0;

    CommandByte id() const { return static_cast<CommandByte>(byte); }
    bool known() const;
    std::string_view name() const;  // "COM_QUERY", or "COM_UNKNOWN"
    ResponseKind response() const;  // unknown bytes: `ok` (the server refuses them with ERR 1047)
    bool expects_response() const { return response() != ResponseKind::none; }

    bool operator==(const Command&) const = default;
};

// The command a request payload carries; nullopt for an empty payload (which is no command at all).
std::optional<Command> command_of(std::string_view payload);
inline Command command(CommandByte b) {
    return Command{static_cast<std::uint8_t>(b)};
}

// The ERR a server sends for a command byte it does not know.
ErrPacket unknown_command_error();

}  // namespace sluice::protocol
