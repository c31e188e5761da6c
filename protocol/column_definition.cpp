#include "protocol/column_definition.hpp"

#include "protocol/parse_util.hpp"

namespace sluice::protocol {

namespace {
// The fixed-length block after the names: charset(2) length(4) type(1) flags(2) decimals(1) filler(2).
constexpr std::uint64_t kFixedFieldsLength = 0x0C;
constexpr std::size_t kFixedFillerBytes = 2;

bool has_extended_metadata(Capabilities caps) {
    return has(caps, cap::kMariaDbExtendedMetadata);
}

Result<std::string> read_lenenc_string(ByteReader& r) {
    auto s = r.lenenc_string();
    if (!s) return lenenc_failure(r);
    return std::string(*s);
}

Result<bool> read_names(ByteReader& r, ColumnDefinition& c) {
    for (std::string* field : {&c.catalog, &c.schema, &c.table, &c.org_table, &c.name, &c.org_name}) {
        auto s = read_lenenc_string(r);
        if (!s) return s.error();
        *field = std::move(*s);
    }
    return true;
}

Result<bool> read_fixed(ByteReader& r, ColumnDefinition& c) {
    auto len = r.lenenc();
    if (!len) return lenenc_failure(r);
    if (*len != kFixedFieldsLength) return ParseError::malformed;
    auto charset = r.u16();
    auto length = r.u32();
    auto type = r.u8();
    auto flags = r.u16();
    auto decimals = r.u8();
    if (!charset || !length || !type || !flags || !decimals || !r.skip(kFixedFillerBytes))
        return ParseError::truncated;
    c.charset = *charset;
    c.column_length = *length;
    c.type = static_cast<ColumnType>(*type);
    c.flags = *flags;
    c.decimals = *decimals;
    return true;
}
}  // namespace

ColumnDefinition ColumnDefinition::text(std::string name, std::uint32_t length) {
    ColumnDefinition c;
    c.name = std::move(name);
    c.org_name = c.name;
    c.column_length = length;
    return c;
}

Result<ColumnDefinition> ColumnDefinition::parse(ByteReader& r, Capabilities caps) {
    ColumnDefinition c;
    if (auto ok = read_names(r, c); !ok) return ok.error();
    if (has_extended_metadata(caps)) {
        auto s = read_lenenc_string(r);
        if (!s) return s.error();
        c.extended_metadata = std::move(*s);
    }
    if (auto ok = read_fixed(r, c); !ok) return ok.error();
    if (!r.empty()) {
        c.has_default_field = true;
        if (r.peek() == kLenencNull) {
            r.skip(1);
        } else {
            auto def = r.lenenc_string();
            if (!def) return lenenc_failure(r);
            c.default_value = std::string(*def);
        }
    }
    if (!r.empty()) return ParseError::malformed;
    return c;
}

void ColumnDefinition::write(ByteWriter& w, Capabilities caps) const {
    for (const std::string* field : {&catalog, &schema, &table, &org_table, &name, &org_name})
        w.lenenc_string(*field);
    if (has_extended_metadata(caps)) w.lenenc_string(extended_metadata);
    w.lenenc(kFixedFieldsLength);
    w.u16(charset);
    w.u32(column_length);
    w.u8(static_cast<std::uint8_t>(type));
    w.u16(flags);
    w.u8(decimals);
    w.zeros(kFixedFillerBytes);
    if (!has_default_field) return;
    if (default_value) {
        w.lenenc_string(*default_value);
    } else {
        w.u8(kLenencNull);
    }
}

std::optional<std::string> ColumnDefinition::extended(ExtendedMetadataKey key) const {
    ByteReader r(extended_metadata);
    while (!r.empty()) {
        auto k = r.u8();
        auto v = r.lenenc_string();
        if (!v) return std::nullopt;
        if (*k == static_cast<std::uint8_t>(key)) return std::string(*v);
    }
    return std::nullopt;
}

}  // namespace sluice::protocol
