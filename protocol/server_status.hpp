#pragma once
// Server status flags, carried by OK and EOF packets. The proxy trusts these over its own guesses: they are
// how it learns whether a session is inside a transaction or whether more result sets follow.

#include <cstdint>

namespace sluice::protocol {

using ServerStatus = std::uint16_t;

namespace status {
inline constexpr ServerStatus kInTrans = 1U << 0;
inline constexpr ServerStatus kAutocommit = 1U << 1;
inline constexpr ServerStatus kMoreResultsExist = 1U << 3;
inline constexpr ServerStatus kQueryNoGoodIndexUsed = 1U << 4;
inline constexpr ServerStatus kQueryNoIndexUsed = 1U << 5;
inline constexpr ServerStatus kCursorExists = 1U << 6;
inline constexpr ServerStatus kLastRowSent = 1U << 7;
inline constexpr ServerStatus kDbDropped = 1U << 8;
inline constexpr ServerStatus kNoBackslashEscapes = 1U << 9;
inline constexpr ServerStatus kMetadataChanged = 1U << 10;
inline constexpr ServerStatus kQueryWasSlow = 1U << 11;
inline constexpr ServerStatus kPsOutParams = 1U << 12;
inline constexpr ServerStatus kInTransReadonly = 1U << 13;
inline constexpr ServerStatus kSessionStateChanged = 1U << 14;
}  // namespace status

constexpr bool has_status(ServerStatus s, ServerStatus flag) {
    return (s & flag) == flag;
}

}  // namespace sluice::protocol
