#include "protocol/prepare_ok.hpp"

#include "protocol/inspect.hpp"

namespace sluice::protocol {

Result<PrepareOk> PrepareOk::parse(ByteReader& r, Capabilities) {
    auto header = r.u8();
    if (!header) return ParseError::truncated;
    if (*header != kOkHeader) return ParseError::malformed;
    auto id = r.u32();
    auto columns = r.u16();
    auto params = r.u16();
    auto reserved = r.u8();
    if (!id || !columns || !params || !reserved) return ParseError::truncated;
    PrepareOk p{*id, *columns, *params, 0};
    if (r.empty()) return p;
    auto warnings = r.u16();
    if (!warnings) return ParseError::truncated;
    p.warnings = *warnings;
    // MySQL 8 may append a metadata-follows byte (CLIENT_OPTIONAL_RESULTSET_METADATA); MariaDB never does.
    if (!r.empty()) return ParseError::unsupported;
    return p;
}

void PrepareOk::write(ByteWriter& w, Capabilities) const {
    w.u8(kOkHeader);
    w.u32(statement_id);
    w.u16(columns);
    w.u16(params);
    w.u8(0);
    w.u16(warnings);
}

Result<LocalInfileRequest> LocalInfileRequest::parse(ByteReader& r, Capabilities) {
    auto header = r.u8();
    if (!header) return ParseError::truncated;
    if (*header != kLocalInfileHeader) return ParseError::malformed;
    return LocalInfileRequest{std::string(r.rest())};
}

void LocalInfileRequest::write(ByteWriter& w, Capabilities) const {
    w.u8(kLocalInfileHeader);
    w.bytes(filename);
}

}  // namespace sluice::protocol
