#pragma once
// The server error codes and SQLSTATEs Sluice itself sends, named once so every ERR says the same thing.

#include <cstdint>
#include <string_view>

namespace sluice::protocol {

struct ErrorCode {
    std::uint16_t code;
    std::string_view sql_state;
};

namespace er {
inline constexpr ErrorCode kConCountError{1040, "08004"};       // too many connections
inline constexpr ErrorCode kHandshakeError{1043, "08S01"};      // bad handshake
inline constexpr ErrorCode kAccessDenied{1045, "28000"};        // wrong user or password
inline constexpr ErrorCode kNoDb{1046, "3D000"};                // no database selected
inline constexpr ErrorCode kUnknownCom{1047, "08S01"};          // unknown command
inline constexpr ErrorCode kBadDb{1049, "42000"};               // unknown database
inline constexpr ErrorCode kServerShutdown{1053, "08S01"};      // server shutdown in progress
inline constexpr ErrorCode kParseError{1064, "42000"};          // syntax error
inline constexpr ErrorCode kUnknownThread{1094, "HY000"};       // unknown thread id (KILL)
inline constexpr ErrorCode kNetPacketTooLarge{1153, "08S01"};   // packet bigger than max_allowed_packet
inline constexpr ErrorCode kNetReadError{1158, "08S01"};        // got an error reading communication packets
inline constexpr ErrorCode kNetReadInterrupted{1159, "08S01"};  // got timeout reading communication packets
inline constexpr ErrorCode kNotSupportedYet{1235, "42000"};     // this version doesn't yet support
inline constexpr ErrorCode kOptionPreventsStatement{1290, "HY000"};  // read_only
// Sluice's own errors about backends use server error codes: Connector/C reports an ERR packet carrying a
// client error code (2000-2999, such as 2003 or 2013) as "2027 Received malformed packet" instead of its
// message.
inline constexpr ErrorCode kBackendUnavailable{1429, "08004"};  // cannot connect to (or log in to) a backend
inline constexpr ErrorCode kLostConnection{1158, "08S01"};      // the backend connection broke
inline constexpr ErrorCode kUnknownError{1105, "HY000"};        // generic
inline constexpr ErrorCode kAccountLocked{4151, "HY000"};       // the account is locked
}  // namespace er

}  // namespace sluice::protocol
