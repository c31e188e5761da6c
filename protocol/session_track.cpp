#include "protocol/session_track.hpp"

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"

namespace sluice::protocol {

namespace {
Result<SessionChange> parse_body(SessionTrackType type, std::string_view body) {
    ByteReader r(body);
    SessionChange c{type, {}, {}};
    switch (type) {
        case SessionTrackType::system_variables: {
            auto name = r.lenenc_string();
            auto value = name ? r.lenenc_string() : std::nullopt;
            if (!name || !value) return ParseError::truncated;
            c.name = std::string(*name);
            c.value = std::string(*value);
            break;
        }
        case SessionTrackType::schema: {
            auto name = r.lenenc_string();
            if (!name) return ParseError::truncated;
            c.name = std::string(*name);
            break;
        }
        default: c.value = std::string(r.rest()); break;
    }
    if (!r.empty()) return ParseError::malformed;
    return c;
}
}  // namespace

Result<std::vector<SessionChange>> parse_session_changes(std::string_view block) {
    ByteReader r(block);
    std::vector<SessionChange> out;
    while (!r.empty()) {
        auto type = r.u8();
        auto body = r.lenenc_string();
        if (!body) return ParseError::truncated;
        auto c = parse_body(static_cast<SessionTrackType>(*type), *body);
        if (!c) return c.error();
        out.push_back(std::move(*c));
    }
    return out;
}

std::string write_session_changes(const std::vector<SessionChange>& changes) {
    std::vector<std::uint8_t> out;
    ByteWriter w(out);
    for (const auto& c : changes) {
        std::vector<std::uint8_t> body;
        ByteWriter b(body);
        switch (c.type) {
            case SessionTrackType::system_variables:
                b.lenenc_string(c.name);
                b.lenenc_string(c.value);
                break;
            case SessionTrackType::schema: b.lenenc_string(c.name); break;
            default: b.bytes(c.value); break;
        }
        w.u8(static_cast<std::uint8_t>(c.type));
        w.lenenc_string(std::string_view(reinterpret_cast<const char*>(body.data()), body.size()));
    }
    return std::string(out.begin(), out.end());
}

}  // namespace sluice::protocol
