#include "protocol/handshake.hpp"

#include <algorithm>

namespace sluice::protocol {

namespace {
constexpr std::size_t kReservedBytes = 6;  // then 4 more: MariaDB extended caps or reserved
constexpr std::size_t kMinScramblePart2 = 13;
constexpr int kUpperCapsShift = 16;
constexpr int kExtendedCapsShift = 32;

struct FixedPart {
    std::uint16_t caps_low = 0;
    std::uint8_t charset = 0;
    std::uint16_t status = 0;
    std::uint16_t caps_high = 0;
    std::uint8_t auth_data_len = 0;
    std::uint32_t ext_caps = 0;
};

Result<FixedPart> read_fixed(ByteReader& r) {
    auto filler = r.u8();
    auto caps_low = r.u16();
    auto charset = r.u8();
    auto status = r.u16();
    auto caps_high = r.u16();
    auto len = r.u8();
    bool reserved = r.skip(kReservedBytes);
    auto ext = r.u32();
    if (!filler || !caps_low || !charset || !status || !caps_high || !len || !reserved || !ext)
        return ParseError::truncated;
    return FixedPart{*caps_low, *charset, *status, *caps_high, *len, *ext};
}

std::size_t part2_size(std::uint8_t auth_data_len) {
    std::size_t announced = auth_data_len > kScramblePart1Size ? auth_data_len - kScramblePart1Size : 0;
    return std::max(kMinScramblePart2, announced);
}
}  // namespace

Result<HandshakeV10> HandshakeV10::parse(ByteReader& r, Capabilities) {
    auto version = r.u8();
    if (!version) return ParseError::truncated;
    if (*version != kProtocolVersion10) return ParseError::unsupported;
    HandshakeV10 h;
    auto server_version = r.null_string();
    auto conn_id = r.u32();
    auto part1 = r.bytes(kScramblePart1Size);
    if (!server_version || !conn_id || !part1) return ParseError::truncated;
    auto fixed = read_fixed(r);
    if (!fixed) return fixed.error();
    h.server_version = std::string(*server_version);
    h.connection_id = *conn_id;
    h.charset = fixed->charset;
    h.status_flags = fixed->status;
    h.capabilities = Capabilities{fixed->caps_low} | Capabilities{fixed->caps_high} << kUpperCapsShift;
    if (uses_mariadb_extended_caps(h.capabilities))
        h.capabilities |= Capabilities{fixed->ext_caps} << kExtendedCapsShift;
    h.auth_plugin_data = std::string(*part1);
    // The announced scramble length counts only with CLIENT_PLUGIN_AUTH; otherwise the byte is reserved.
    std::uint8_t announced = has(h.capabilities, cap::kPluginAuth) ? fixed->auth_data_len : 0;
    if (has(h.capabilities, cap::kSecureConnection)) {
        auto part2 = r.bytes(part2_size(announced));
        if (!part2) return ParseError::truncated;
        h.auth_plugin_data += *part2;
    }
    // The announced length includes the trailing NUL; without one, drop the NUL padding instead.
    if (announced > 0 && announced - 1U <= h.auth_plugin_data.size()) {
        h.auth_plugin_data.resize(announced - 1U);
    } else {
        while (!h.auth_plugin_data.empty() && h.auth_plugin_data.back() == '\0')
            h.auth_plugin_data.pop_back();
    }
    if (has(h.capabilities, cap::kPluginAuth)) {
        auto name = r.null_string();
        // Some MySQL versions omit the final NUL; the name then runs to the end of the packet.
        h.auth_plugin_name = std::string(name ? *name : r.rest());
    }
    return h;
}

void HandshakeV10::write(ByteWriter& w, Capabilities) const {
    w.u8(kProtocolVersion10);
    w.null_string(server_version);
    w.u32(connection_id);
    std::string data = auth_plugin_data;
    data.resize(std::max(data.size(), kScramblePart1Size), '\0');
    w.bytes(std::string_view(data).substr(0, kScramblePart1Size));
    w.u8(0);
    w.u16(static_cast<std::uint16_t>(capabilities));
    w.u8(charset);
    w.u16(status_flags);
    w.u16(static_cast<std::uint16_t>(capabilities >> kUpperCapsShift));
    bool plugin = has(capabilities, cap::kPluginAuth);
    std::size_t announced = std::min<std::size_t>(auth_plugin_data.size() + 1, 0xFF);
    w.u8(plugin ? static_cast<std::uint8_t>(announced) : 0);
    w.zeros(kReservedBytes);
    w.u32(uses_mariadb_extended_caps(capabilities)
              ? static_cast<std::uint32_t>(capabilities >> kExtendedCapsShift)
              : 0);
    if (has(capabilities, cap::kSecureConnection)) {
        // Part 2 holds the rest of the scramble and its NUL, and is never shorter than 13 bytes; without
        // CLIENT_PLUGIN_AUTH it is exactly 13.
        std::string part2 = data.substr(kScramblePart1Size);
        part2.push_back('\0');
        std::size_t size = plugin ? std::max(part2.size(), kMinScramblePart2) : kMinScramblePart2;
        part2.resize(size, '\0');
        w.bytes(part2);
    }
    if (plugin) w.null_string(auth_plugin_name);
}

}  // namespace sluice::protocol
