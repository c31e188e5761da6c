#pragma once
// Accepts a connection only to send it one ERR packet in place of a greeting, then closes it: what MariaDB
// does for "Too many connections" and "Host is blocked". Clients show the message as the server's.

#include <uv.h>

#include "protocol/err_packet.hpp"

namespace sluice::proxy {

void refuse_connection(uv_stream_t* server, const protocol::ErrPacket& err);

}  // namespace sluice::proxy
