#pragma once
// COM_CHANGE_USER: re-authenticate on an open connection (and reset the session). Its layout depends on the
// capabilities negotiated at connect time; charset, plugin name and attributes are an optional tail.

#include <cstdint>
#include <optional>
#include <string>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/connect_attrs.hpp"
#include "protocol/result.hpp"

namespace sluice::protocol {

struct ComChangeUser {
    std::string username;
    std::string auth_response;
    std::string database;
    // The tail: present on every modern client. Without a charset there is no plugin name or attributes.
    std::optional<std::uint16_t> charset;
    std::string auth_plugin_name;  // with CLIENT_PLUGIN_AUTH
    ConnectAttributes attributes;  // with CLIENT_CONNECT_ATTRS

    static Result<ComChangeUser> parse(ByteReader& r, Capabilities caps);
    void write(ByteWriter& w, Capabilities caps) const;

    bool operator==(const ComChangeUser&) const = default;
};

}  // namespace sluice::protocol
