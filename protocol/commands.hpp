#pragma once
// Command-phase requests with simple layouts: the command byte, then fixed integers and/or a string to the
// end. COM_STMT_EXECUTE (parameters) and COM_CHANGE_USER (authentication) have their own files.

#include <cstdint>
#include <string>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/command.hpp"
#include "protocol/result.hpp"

namespace sluice::protocol {

namespace detail {
// Consumes the command byte, refusing any other command.
Result<bool> expect_command(ByteReader& r, CommandByte expected);
inline void put_command(ByteWriter& w, CommandByte c) {
    w.u8(static_cast<std::uint8_t>(c));
}
}  // namespace detail

// A request that is a command byte and a string running to the end of the payload.
template <CommandByte C>
struct StringCommand {
    std::string text;

    static Result<StringCommand> parse(ByteReader& r, Capabilities = 0) {
        if (auto ok = detail::expect_command(r, C); !ok) return ok.error();
        return StringCommand{std::string(r.rest())};
    }
    void write(ByteWriter& w, Capabilities = 0) const {
        detail::put_command(w, C);
        w.bytes(text);
    }
    bool operator==(const StringCommand&) const = default;
};

using ComQuery = StringCommand<CommandByte::query>;               // text: the SQL
using ComInitDb = StringCommand<CommandByte::init_db>;            // text: the schema name
using ComStmtPrepare = StringCommand<CommandByte::stmt_prepare>;  // text: the SQL with '?' placeholders

// A request that is the command byte alone (anything after it is refused as malformed).
template <CommandByte C>
struct BareCommand {
    static Result<BareCommand> parse(ByteReader& r, Capabilities = 0) {
        if (auto ok = detail::expect_command(r, C); !ok) return ok.error();
        if (!r.empty()) return ParseError::malformed;
        return BareCommand{};
    }
    void write(ByteWriter& w, Capabilities = 0) const { detail::put_command(w, C); }
    bool operator==(const BareCommand&) const = default;
};

using ComQuit = BareCommand<CommandByte::quit>;
using ComPing = BareCommand<CommandByte::ping>;
using ComStatistics = BareCommand<CommandByte::statistics>;
using ComResetConnection = BareCommand<CommandByte::reset_connection>;

// COM_FIELD_LIST: a NUL-terminated table name, then a column wildcard to the end.
struct ComFieldList {
    std::string table;
    std::string wildcard;

    static Result<ComFieldList> parse(ByteReader& r, Capabilities = 0);
    void write(ByteWriter& w, Capabilities = 0) const;
    bool operator==(const ComFieldList&) const = default;
};

struct ComProcessKill {
    std::uint32_t connection_id = 0;

    static Result<ComProcessKill> parse(ByteReader& r, Capabilities = 0);
    void write(ByteWriter& w, Capabilities = 0) const;
    bool operator==(const ComProcessKill&) const = default;
};

// COM_SET_OPTION toggles CLIENT_MULTI_STATEMENTS for the session.
enum class SetOption : std::uint16_t { multi_statements_on = 0, multi_statements_off = 1 };

struct ComSetOption {
    SetOption option = SetOption::multi_statements_on;

    static Result<ComSetOption> parse(ByteReader& r, Capabilities = 0);
    void write(ByteWriter& w, Capabilities = 0) const;
    bool operator==(const ComSetOption&) const = default;
};

// A request that names a prepared statement and nothing else.
template <CommandByte C>
struct StatementCommand {
    std::uint32_t statement_id = 0;

    static Result<StatementCommand> parse(ByteReader& r, Capabilities = 0) {
        if (auto ok = detail::expect_command(r, C); !ok) return ok.error();
        auto id = r.u32();
        if (!id) return ParseError::truncated;
        if (!r.empty()) return ParseError::malformed;
        return StatementCommand{*id};
    }
    void write(ByteWriter& w, Capabilities = 0) const {
        detail::put_command(w, C);
        w.u32(statement_id);
    }
    bool operator==(const StatementCommand&) const = default;
};

using ComStmtClose = StatementCommand<CommandByte::stmt_close>;
using ComStmtReset = StatementCommand<CommandByte::stmt_reset>;

struct ComStmtFetch {
    std::uint32_t statement_id = 0;
    std::uint32_t num_rows = 0;

    static Result<ComStmtFetch> parse(ByteReader& r, Capabilities = 0);
    void write(ByteWriter& w, Capabilities = 0) const;
    bool operator==(const ComStmtFetch&) const = default;
};

// COM_STMT_SEND_LONG_DATA: a chunk of one parameter's value; the server answers nothing.
struct ComStmtSendLongData {
    std::uint32_t statement_id = 0;
    std::uint16_t param_id = 0;
    std::string data;

    static Result<ComStmtSendLongData> parse(ByteReader& r, Capabilities = 0);
    void write(ByteWriter& w, Capabilities = 0) const;
    bool operator==(const ComStmtSendLongData&) const = default;
};

}  // namespace sluice::protocol
