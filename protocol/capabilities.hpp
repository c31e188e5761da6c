#pragma once
// Capability flags. The low 32 bits are the MySQL client/server flags; MariaDB's extended capabilities travel
// in separate handshake bytes and are kept here in the high 32 bits so one 64-bit value carries both.

#include <cstdint>

namespace sluice::protocol {

using Capabilities = std::uint64_t;

namespace cap {
inline constexpr Capabilities kLongPassword = 1ULL << 0;
inline constexpr Capabilities kFoundRows = 1ULL << 1;
inline constexpr Capabilities kLongFlag = 1ULL << 2;
inline constexpr Capabilities kConnectWithDb = 1ULL << 3;
inline constexpr Capabilities kNoSchema = 1ULL << 4;
inline constexpr Capabilities kCompress = 1ULL << 5;
inline constexpr Capabilities kOdbc = 1ULL << 6;
inline constexpr Capabilities kLocalFiles = 1ULL << 7;
inline constexpr Capabilities kIgnoreSpace = 1ULL << 8;
inline constexpr Capabilities kProtocol41 = 1ULL << 9;
inline constexpr Capabilities kInteractive = 1ULL << 10;
inline constexpr Capabilities kSsl = 1ULL << 11;
inline constexpr Capabilities kIgnoreSigpipe = 1ULL << 12;
inline constexpr Capabilities kTransactions = 1ULL << 13;
inline constexpr Capabilities kReserved = 1ULL << 14;
inline constexpr Capabilities kSecureConnection = 1ULL << 15;
inline constexpr Capabilities kMultiStatements = 1ULL << 16;
inline constexpr Capabilities kMultiResults = 1ULL << 17;
inline constexpr Capabilities kPsMultiResults = 1ULL << 18;
inline constexpr Capabilities kPluginAuth = 1ULL << 19;
inline constexpr Capabilities kConnectAttrs = 1ULL << 20;
inline constexpr Capabilities kPluginAuthLenencClientData = 1ULL << 21;
inline constexpr Capabilities kCanHandleExpiredPasswords = 1ULL << 22;
inline constexpr Capabilities kSessionTrack = 1ULL << 23;
inline constexpr Capabilities kDeprecateEof = 1ULL << 24;
inline constexpr Capabilities kSslVerifyServerCert = 1ULL << 30;
inline constexpr Capabilities kRememberOptions = 1ULL << 31;

// MariaDB extended capabilities (sent in the greeting's filler bytes when CLIENT_MYSQL (bit 0) is clear).
inline constexpr Capabilities kMariaDbProgress = 1ULL << 32;
inline constexpr Capabilities kMariaDbComMulti = 1ULL << 33;
inline constexpr Capabilities kMariaDbStmtBulkOperations = 1ULL << 34;
inline constexpr Capabilities kMariaDbExtendedMetadata = 1ULL << 35;
inline constexpr Capabilities kMariaDbCacheMetadata = 1ULL << 36;
}  // namespace cap

constexpr bool has(Capabilities caps, Capabilities flag) {
    return (caps & flag) == flag;
}

}  // namespace sluice::protocol
