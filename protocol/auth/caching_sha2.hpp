#pragma once
// caching_sha2_password, fast path (the server has the account in its cache).
//   response = SHA256(password) XOR SHA256(SHA256(SHA256(password)) + seed)
// The server's cache holds SHA256(SHA256(password)); with it and the seed the XOR can be undone and the
// result checked, exactly like mysql_native_password but with SHA-256. A cache miss needs the full path
// (the password over TLS or RSA), which is outside this codec.

#include <optional>
#include <string>
#include <string_view>

#include "protocol/auth/digest.hpp"

namespace sluice::protocol::auth {

inline constexpr std::string_view kCachingSha2Plugin = "caching_sha2_password";

// AuthMoreData bytes of the fast path's outcome.
inline constexpr char kSha2FastAuthSuccess = 0x03;
inline constexpr char kSha2PerformFullAuth = 0x04;

Sha256Digest sha2_stage1(std::string_view password);       // SHA256(password)
Sha256Digest sha2_cached_hash(std::string_view password);  // SHA256(SHA256(password))

std::string sha2_scramble(std::string_view password, std::string_view seed);  // empty for an empty password
std::string sha2_scramble_from_stage1(const Sha256Digest& stage1, std::string_view seed);
bool sha2_verify(std::string_view response, std::string_view seed, const Sha256Digest& cached);
std::optional<Sha256Digest> sha2_recover_stage1(std::string_view response, std::string_view seed,
                                                const Sha256Digest& cached);

}  // namespace sluice::protocol::auth
