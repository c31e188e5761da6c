#pragma once
// Connection attributes (CLIENT_CONNECT_ATTRS): a length-encoded total size, then that many bytes of
// length-encoded key/value string pairs. Shared by HandshakeResponse41 and COM_CHANGE_USER.

#include <string>
#include <utility>
#include <vector>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/result.hpp"

namespace sluice::protocol {

using ConnectAttributes = std::vector<std::pair<std::string, std::string>>;

Result<ConnectAttributes> read_connect_attrs(ByteReader& r);
void write_connect_attrs(ByteWriter& w, const ConnectAttributes& attrs);

}  // namespace sluice::protocol
