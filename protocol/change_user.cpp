#include "protocol/change_user.hpp"

#include "protocol/command.hpp"

namespace sluice::protocol {

namespace {
Result<std::string> read_auth(ByteReader& r, Capabilities caps) {
    std::optional<std::string_view> s;
    if (has(caps, cap::kSecureConnection)) {
        auto len = r.u8();
        s = len ? r.bytes(*len) : std::nullopt;
    } else {
        s = r.null_string();
    }
    if (!s) return ParseError::truncated;
    return std::string(*s);
}

Result<bool> read_tail(ByteReader& r, Capabilities caps, ComChangeUser& c) {
    auto charset = r.u16();
    if (!charset) return ParseError::truncated;
    c.charset = *charset;
    if (has(caps, cap::kPluginAuth)) {
        auto plugin = r.null_string();
        if (!plugin) return ParseError::truncated;
        c.auth_plugin_name = std::string(*plugin);
    }
    if (has(caps, cap::kConnectAttrs)) {
        auto attrs = read_connect_attrs(r);
        if (!attrs) return attrs.error();
        c.attributes = std::move(*attrs);
    }
    return true;
}
}  // namespace

Result<ComChangeUser> ComChangeUser::parse(ByteReader& r, Capabilities caps) {
    auto cmd = r.u8();
    if (!cmd) return ParseError::truncated;
    if (*cmd != static_cast<std::uint8_t>(CommandByte::change_user)) return ParseError::malformed;
    ComChangeUser c;
    auto user = r.null_string();
    if (!user) return ParseError::truncated;
    c.username = std::string(*user);
    auto auth = read_auth(r, caps);
    if (!auth) return auth.error();
    c.auth_response = std::move(*auth);
    auto db = r.null_string();
    if (!db) return ParseError::truncated;
    c.database = std::string(*db);
    if (r.empty()) return c;
    if (auto ok = read_tail(r, caps, c); !ok) return ok.error();
    if (!r.empty()) return ParseError::malformed;
    return c;
}

void ComChangeUser::write(ByteWriter& w, Capabilities caps) const {
    w.u8(static_cast<std::uint8_t>(CommandByte::change_user));
    w.null_string(username);
    if (has(caps, cap::kSecureConnection)) {
        w.u8(static_cast<std::uint8_t>(auth_response.size()));
        w.bytes(std::string_view(auth_response).substr(0, 0xFF));
    } else {
        w.null_string(auth_response);
    }
    w.null_string(database);
    if (!charset) return;
    w.u16(*charset);
    if (has(caps, cap::kPluginAuth)) w.null_string(auth_plugin_name);
    if (has(caps, cap::kConnectAttrs)) write_connect_attrs(w, attributes);
}

}  // namespace sluice::protocol
