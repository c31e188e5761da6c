#pragma once
// mysql_native_password.
//   stage1 = SHA1(password)            what the proxy needs to log into a backend
//   stored = SHA1(stage1)              what the server keeps, as "*HEX" in mysql.user / mysql.global_priv
//   response = stage1 XOR SHA1(seed + stored)
// Because the server knows `stored` and the seed, it can undo the XOR and check SHA1(stage1) == stored. The
// proxy does the same, keeps the recovered stage1 for the session, and answers each backend's new seed with
// it, so it never needs the plain password (the technique MaxScale uses).

#include <optional>
#include <string>
#include <string_view>

#include "protocol/auth/digest.hpp"

namespace sluice::protocol::auth {

inline constexpr std::string_view kNativePasswordPlugin = "mysql_native_password";

Sha1Digest native_stage1(std::string_view password);
Sha1Digest native_stored_hash(std::string_view password);

// The 20-byte client response for `seed`; empty for an empty password (that is what clients send).
std::string native_scramble(std::string_view password, std::string_view seed);
std::string native_scramble_from_stage1(const Sha1Digest& stage1, std::string_view seed);

// Whether `response` proves knowledge of the password behind `stored` for this seed.
bool native_verify(std::string_view response, std::string_view seed, const Sha1Digest& stored);

// SHA1(password) recovered from a client's response, or nullopt when the response does not verify.
std::optional<Sha1Digest> native_recover_stage1(std::string_view response, std::string_view seed,
                                                const Sha1Digest& stored);

// "*" followed by 40 hex digits, the form of mysql.user.Password / authentication_string.
std::optional<Sha1Digest> parse_native_hash(std::string_view text);
std::string format_native_hash(const Sha1Digest& stored);

}  // namespace sluice::protocol::auth
