// Connection-phase messages: greeting, SSL request, handshake response, auth switch / more data, change user.
#include <cstdint>

#include "protocol/auth_switch.hpp"
#include "protocol/change_user.hpp"
#include "protocol/fuzz/fuzz_util.hpp"
#include "protocol/handshake.hpp"
#include "protocol/handshake_response.hpp"

using namespace sluice::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    Capabilities caps = fuzz::caps_from(data[0]);
    std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    fuzz::round_trip<HandshakeV10>(bytes, caps);
    fuzz::round_trip<SslRequest>(bytes, caps);
    fuzz::round_trip<HandshakeResponse41>(bytes, caps);
    fuzz::round_trip<AuthSwitchRequest>(bytes, caps);
    fuzz::round_trip<AuthMoreData>(bytes, caps);
    fuzz::round_trip<ComChangeUser>(bytes, caps);
    (void)is_ssl_request(bytes);
    return 0;
}
