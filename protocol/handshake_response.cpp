#include "protocol/handshake_response.hpp"

#include "protocol/handshake.hpp"
#include "protocol/parse_util.hpp"

namespace sluice::protocol {

namespace {
constexpr std::size_t kReservedBytes = 19;
constexpr int kExtendedCapsShift = 32;
constexpr std::uint32_t kLowCapsMask = 0xFFFFFFFF;

Result<SslRequest> read_header(ByteReader& r) {
    auto caps = r.u32();
    auto max_packet = r.u32();
    auto charset = r.u8();
    bool reserved = r.skip(kReservedBytes);
    auto ext = r.u32();
    if (!caps || !max_packet || !charset || !reserved || !ext) return ParseError::truncated;
    Capabilities all = *caps;
    if (uses_mariadb_extended_caps(all)) all |= Capabilities{*ext} << kExtendedCapsShift;
    return SslRequest{all, *max_packet, *charset};
}

void write_header(ByteWriter& w, const SslRequest& h) {
    w.u32(static_cast<std::uint32_t>(h.capabilities & kLowCapsMask));
    w.u32(h.max_packet_size);
    w.u8(h.charset);
    w.zeros(kReservedBytes);
    w.u32(uses_mariadb_extended_caps(h.capabilities)
              ? static_cast<std::uint32_t>(h.capabilities >> kExtendedCapsShift)
              : 0);
}

Result<std::string> read_auth_response(ByteReader& r, Capabilities caps) {
    std::optional<std::string_view> s;
    if (has(caps, cap::kPluginAuthLenencClientData)) {
        s = r.lenenc_string();
        if (!s) return lenenc_failure(r);
    } else if (has(caps, cap::kSecureConnection)) {
        auto len = r.u8();
        s = len ? r.bytes(*len) : std::nullopt;
    } else {
        s = r.null_string();
    }
    if (!s) return ParseError::truncated;
    return std::string(*s);
}

void write_auth_response(ByteWriter& w, Capabilities caps, std::string_view auth) {
    if (has(caps, cap::kPluginAuthLenencClientData)) {
        w.lenenc_string(auth);
    } else if (has(caps, cap::kSecureConnection)) {
        w.u8(static_cast<std::uint8_t>(auth.size()));
        w.bytes(auth.substr(0, 0xFF));
    } else {
        w.null_string(auth);
    }
}

Result<std::string> read_null_string(ByteReader& r) {
    auto s = r.null_string();
    if (!s) return ParseError::truncated;
    return std::string(*s);
}
}  // namespace

Result<SslRequest> SslRequest::parse(ByteReader& r, Capabilities) {
    auto h = read_header(r);
    if (!h) return h.error();
    if (!has(h->capabilities, cap::kSsl)) return ParseError::malformed;
    if (!r.empty()) return ParseError::malformed;
    return h;
}

void SslRequest::write(ByteWriter& w, Capabilities) const {
    write_header(w, *this);
}

bool is_ssl_request(std::string_view payload) {
    ByteReader r(payload);
    auto caps = r.u32();
    return payload.size() == kClientHeaderSize && caps && has(*caps, cap::kSsl);
}

Result<HandshakeResponse41> HandshakeResponse41::parse(ByteReader& r, Capabilities) {
    auto h = read_header(r);
    if (!h) return h.error();
    HandshakeResponse41 resp;
    resp.capabilities = h->capabilities;
    resp.max_packet_size = h->max_packet_size;
    resp.charset = h->charset;
    if (!has(resp.capabilities, cap::kProtocol41)) return ParseError::unsupported;
    auto user = read_null_string(r);
    if (!user) return user.error();
    resp.username = std::move(*user);
    auto auth = read_auth_response(r, resp.capabilities);
    if (!auth) return auth.error();
    resp.auth_response = std::move(*auth);
    if (has(resp.capabilities, cap::kConnectWithDb)) {
        auto db = read_null_string(r);
        if (!db) return db.error();
        resp.database = std::move(*db);
    }
    if (has(resp.capabilities, cap::kPluginAuth)) {
        auto plugin = read_null_string(r);
        if (!plugin) return plugin.error();
        resp.auth_plugin_name = std::move(*plugin);
    }
    if (has(resp.capabilities, cap::kConnectAttrs)) {
        auto attrs = read_connect_attrs(r);
        if (!attrs) return attrs.error();
        resp.attributes = std::move(*attrs);
    }
    resp.trailing = std::string(r.rest());
    return resp;
}

void HandshakeResponse41::write(ByteWriter& w, Capabilities) const {
    write_header(w, SslRequest{capabilities, max_packet_size, charset});
    w.null_string(username);
    write_auth_response(w, capabilities, auth_response);
    if (has(capabilities, cap::kConnectWithDb)) w.null_string(database);
    if (has(capabilities, cap::kPluginAuth)) w.null_string(auth_plugin_name);
    if (has(capabilities, cap::kConnectAttrs)) write_connect_attrs(w, attributes);
    w.bytes(trailing);
}

}  // namespace sluice::protocol
