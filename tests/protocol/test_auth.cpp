#include <doctest/doctest.h>

#include "protocol/auth/caching_sha2.hpp"
#include "protocol/auth/native_password.hpp"

using namespace sluice::protocol::auth;

namespace {
std::string unhex(std::string_view hex) {
    return *from_hex(hex, hex.size() / 2);
}

// Real values from MariaDB 10.11.19: the account sluice@127.0.0.1 created with IDENTIFIED BY 'Secr3t!pw'
// (mysql.user.authentication_string below), and a login by the mariadb CLI captured in
// tests/data/login_native.txt (seed = greeting's two scramble parts, response from HandshakeResponse41).
constexpr std::string_view kPassword = "Secr3t!pw";
constexpr std::string_view kServerHash = "*7431BFF78F6997E15E305B07BB822BE5337A1EAA";
constexpr std::string_view kSeedHex =
    "7d58213a3e697531"
    "3144425c2b5f7d79656d7628";
constexpr std::string_view kClientResponseHex = "bcf68505144896030e85d8bf793b48c44f7d7c65";
}  // namespace

TEST_CASE("native password: our stored hash matches the server's authentication_string") {
    CHECK(format_native_hash(native_stored_hash(kPassword)) == kServerHash);
    auto parsed = parse_native_hash(kServerHash);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == native_stored_hash(kPassword));
    CHECK(parse_native_hash(std::string(kServerHash).insert(1, "ab")) == std::nullopt);
    CHECK_FALSE(parse_native_hash("7431BFF78F6997E15E305B07BB822BE5337A1EAA").has_value());
    CHECK_FALSE(parse_native_hash("*7431BFF78F6997E15E305B07BB822BE5337A1EAZ").has_value());
    CHECK(parse_native_hash("*7431bff78f6997e15e305b07bb822be5337a1eaa") == parsed);
}

TEST_CASE("native password: the real client's scramble") {
    std::string seed = unhex(kSeedHex);
    std::string response = unhex(kClientResponseHex);
    CHECK(native_scramble(kPassword, seed) == response);
    auto stored = *parse_native_hash(kServerHash);
    CHECK(native_verify(response, seed, stored));
    CHECK_FALSE(native_verify(response, seed, native_stored_hash("wrong")));
    std::string tampered = response;
    tampered[3] = static_cast<char>(tampered[3] ^ 1);
    CHECK_FALSE(native_verify(tampered, seed, stored));
    CHECK_FALSE(native_verify(response.substr(1), seed, stored));
    CHECK_FALSE(native_verify("", seed, stored));
}

TEST_CASE("native password: recover SHA1(password) and answer a backend's new seed") {
    std::string client_seed = unhex(kSeedHex);
    auto stored = *parse_native_hash(kServerHash);
    auto stage1 = native_recover_stage1(unhex(kClientResponseHex), client_seed, stored);
    REQUIRE(stage1.has_value());
    CHECK(*stage1 == native_stage1(kPassword));
    std::string backend_seed = "ABCDEFGHIJKLMNOPQRST";
    std::string backend_response = native_scramble_from_stage1(*stage1, backend_seed);
    CHECK(backend_response == native_scramble(kPassword, backend_seed));
    CHECK(native_verify(backend_response, backend_seed, stored));
    CHECK_FALSE(native_recover_stage1(unhex(kClientResponseHex), backend_seed, stored).has_value());
}

TEST_CASE("native password: empty password sends an empty response") {
    CHECK(native_scramble("", "01234567890123456789").empty());
}

TEST_CASE("caching_sha2_password fast path") {
    // Expected values computed independently with Python's hashlib, and the scramble is byte for byte what
    // the real client (Connector/C 3.3.20's caching_sha2_password plugin, via the mariadb CLI) sent for this
    // password and seed to a fake server (tests/data/sha2_client_capture.py). MariaDB 10.11 has no server
    // side for this plugin.
    std::string seed = "0123456789abcdefghij";
    std::string expected = unhex("ebcfb4d7031ec89704f0e481b22bfc850ef93faeeb4922ba76036df740bbb1a8");
    CHECK(sha2_scramble(kPassword, seed) == expected);
    CHECK(to_hex_upper(view(sha2_cached_hash(kPassword))) ==
          "CB0CD46EF757F74B72F308FB48781A4CD77D6811F2FE2C687654028CDBA31129");
    CHECK(sha2_verify(expected, seed, sha2_cached_hash(kPassword)));
    CHECK_FALSE(sha2_verify(expected, "0123456789abcdefghiX", sha2_cached_hash(kPassword)));
    CHECK_FALSE(sha2_verify(expected.substr(0, 20), seed, sha2_cached_hash(kPassword)));
    auto stage1 = sha2_recover_stage1(expected, seed, sha2_cached_hash(kPassword));
    REQUIRE(stage1.has_value());
    CHECK(sha2_scramble_from_stage1(*stage1, "other seed 123456789") ==
          sha2_scramble(kPassword, "other seed 123456789"));
    CHECK(sha2_scramble("", seed).empty());
}
