#include "protocol/commands.hpp"

namespace sluice::protocol {

Result<bool> detail::expect_command(ByteReader& r, CommandByte expected) {
    auto b = r.u8();
    if (!b) return ParseError::truncated;
    if (*b != static_cast<std::uint8_t>(expected)) return ParseError::malformed;
    return true;
}

Result<ComFieldList> ComFieldList::parse(ByteReader& r, Capabilities) {
    if (auto ok = detail::expect_command(r, CommandByte::field_list); !ok) return ok.error();
    auto table = r.null_string();
    if (!table) return ParseError::truncated;
    return ComFieldList{std::string(*table), std::string(r.rest())};
}

void ComFieldList::write(ByteWriter& w, Capabilities) const {
    detail::put_command(w, CommandByte::field_list);
    w.null_string(table);
    w.bytes(wildcard);
}

Result<ComProcessKill> ComProcessKill::parse(ByteReader& r, Capabilities) {
    if (auto ok = detail::expect_command(r, CommandByte::process_kill); !ok) return ok.error();
    auto id = r.u32();
    if (!id) return ParseError::truncated;
    if (!r.empty()) return ParseError::malformed;
    return ComProcessKill{*id};
}

void ComProcessKill::write(ByteWriter& w, Capabilities) const {
    detail::put_command(w, CommandByte::process_kill);
    w.u32(connection_id);
}

Result<ComSetOption> ComSetOption::parse(ByteReader& r, Capabilities) {
    if (auto ok = detail::expect_command(r, CommandByte::set_option); !ok) return ok.error();
    auto opt = r.u16();
    if (!opt) return ParseError::truncated;
    if (*opt > static_cast<std::uint16_t>(SetOption::multi_statements_off)) return ParseError::malformed;
    if (!r.empty()) return ParseError::malformed;
    return ComSetOption{static_cast<SetOption>(*opt)};
}

void ComSetOption::write(ByteWriter& w, Capabilities) const {
    detail::put_command(w, CommandByte::set_option);
    w.u16(static_cast<std::uint16_t>(option));
}

Result<ComStmtFetch> ComStmtFetch::parse(ByteReader& r, Capabilities) {
    if (auto ok = detail::expect_command(r, CommandByte::stmt_fetch); !ok) return ok.error();
    auto id = r.u32();
    auto rows = r.u32();
    if (!id || !rows) return ParseError::truncated;
    if (!r.empty()) return ParseError::malformed;
    return ComStmtFetch{*id, *rows};
}

void ComStmtFetch::write(ByteWriter& w, Capabilities) const {
    detail::put_command(w, CommandByte::stmt_fetch);
    w.u32(statement_id);
    w.u32(num_rows);
}

Result<ComStmtSendLongData> ComStmtSendLongData::parse(ByteReader& r, Capabilities) {
    if (auto ok = detail::expect_command(r, CommandByte::stmt_send_long_data); !ok) return ok.error();
    auto id = r.u32();
    auto param = r.u16();
    if (!id || !param) return ParseError::truncated;
    return ComStmtSendLongData{*id, *param, std::string(r.rest())};
}

void ComStmtSendLongData::write(ByteWriter& w, Capabilities) const {
    detail::put_command(w, CommandByte::stmt_send_long_data);
    w.u32(statement_id);
    w.u16(param_id);
    w.bytes(data);
}

}  // namespace sluice::protocol
