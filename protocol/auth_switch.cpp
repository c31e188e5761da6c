#include "protocol/auth_switch.hpp"

namespace sluice::protocol {

std::string_view AuthSwitchRequest::seed() const {
    std::string_view s = plugin_data;
    if (!s.empty() && s.back() == '\0') s.remove_suffix(1);
    return s;
}

Result<AuthSwitchRequest> AuthSwitchRequest::parse(ByteReader& r, Capabilities) {
    auto header = r.u8();
    if (!header) return ParseError::truncated;
    if (*header != kAuthSwitchHeader) return ParseError::malformed;
    if (r.empty()) return ParseError::unsupported;  // old_password switch
    auto name = r.null_string();
    if (!name) return ParseError::truncated;
    return AuthSwitchRequest{std::string(*name), std::string(r.rest())};
}

void AuthSwitchRequest::write(ByteWriter& w, Capabilities) const {
    w.u8(kAuthSwitchHeader);
    w.null_string(plugin_name);
    w.bytes(plugin_data);
}

Result<AuthMoreData> AuthMoreData::parse(ByteReader& r, Capabilities) {
    auto header = r.u8();
    if (!header) return ParseError::truncated;
    if (*header != kAuthMoreDataHeader) return ParseError::malformed;
    return AuthMoreData{std::string(r.rest())};
}

void AuthMoreData::write(ByteWriter& w, Capabilities) const {
    w.u8(kAuthMoreDataHeader);
    w.bytes(data);
}

}  // namespace sluice::protocol
