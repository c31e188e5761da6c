#include <doctest/doctest.h>

#include "codec_test_util.hpp"
#include "protocol/auth_switch.hpp"
#include "protocol/change_user.hpp"
#include "protocol/handshake.hpp"
#include "protocol/handshake_response.hpp"

using namespace sluice::protocol;
using namespace sluice::protocol::test;

namespace {
const std::string kSeed = "abcdefghijklmnopqrst";  // 20 bytes, no NULs, like a real server's

constexpr Capabilities kServerCaps =
    cap::kLongFlag | cap::kConnectWithDb | cap::kProtocol41 | cap::kTransactions | cap::kSecureConnection |
    cap::kMultiResults | cap::kPluginAuth | cap::kConnectAttrs | cap::kPluginAuthLenencClientData |
    cap::kSessionTrack | cap::kDeprecateEof | cap::kSsl;

HandshakeV10 mariadb_greeting() {
    HandshakeV10 h;
    h.server_version = "5.5.5-10.11.19-MariaDB-0+deb12u1";
    h.connection_id = 42;
    h.auth_plugin_data = kSeed;
    // MariaDB clears CLIENT_MYSQL and sends extended capabilities.
    h.capabilities = kServerCaps | cap::kMariaDbProgress | cap::kMariaDbStmtBulkOperations |
                     cap::kMariaDbExtendedMetadata | cap::kMariaDbCacheMetadata;
    h.charset = 45;
    h.status_flags = status::kAutocommit;
    h.auth_plugin_name = "mysql_native_password";
    return h;
}

HandshakeResponse41 full_response() {
    HandshakeResponse41 r;
    r.capabilities = kServerCaps | cap::kMariaDbProgress;
    r.max_packet_size = 16 * 1024 * 1024;
    r.charset = 45;
    r.username = "app";
    r.auth_response = std::string(20, '\x9c');
    r.database = "shop";
    r.auth_plugin_name = "mysql_native_password";
    r.attributes = {{"_client_name", "libmariadb"}, {"_pid", "1234"}};
    return r;
}

// The greeting's plugin name may lack its NUL, so a prefix inside it still parses.
std::size_t greeting_plugin_start(const HandshakeV10& h) {
    return encode(h, 0).size() - h.auth_plugin_name.size() - 1;
}
}  // namespace

TEST_CASE("HandshakeV10: MariaDB greeting with extended capabilities") {
    HandshakeV10 h = mariadb_greeting();
    check_round_trip(h, 0);
    check_truncations(h, 0, [&](std::size_t n) { return n >= greeting_plugin_start(h); });
    auto bytes = encode(h, 0);
    ByteReader r(bytes);
    auto got = HandshakeV10::parse(r);
    REQUIRE(got.ok());
    CHECK(has(got->capabilities, cap::kMariaDbCacheMetadata));
    CHECK(uses_mariadb_extended_caps(got->capabilities));
    CHECK(got->auth_plugin_data.size() == kScrambleSize);
}

TEST_CASE("HandshakeV10: MySQL greeting keeps CLIENT_MYSQL and ignores the filler") {
    HandshakeV10 h = mariadb_greeting();
    h.capabilities = kServerCaps | kClientMysql;
    h.server_version = "8.0.36";
    h.auth_plugin_name = "caching_sha2_password";
    check_round_trip(h, 0);
    auto bytes = encode(h, 0);
    // Garbage in the reserved bytes must not become extended capabilities when CLIENT_MYSQL is set.
    std::size_t ext_at = 1 + h.server_version.size() + 1 + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 6;
    bytes[ext_at] = 0x0F;
    ByteReader r(bytes);
    CHECK(HandshakeV10::parse(r)->capabilities == h.capabilities);
}

TEST_CASE("HandshakeV10: plugin name without its NUL, and wrong protocol version") {
    auto bytes = encode(mariadb_greeting(), 0);
    bytes.pop_back();
    ByteReader r(bytes);
    CHECK(HandshakeV10::parse(r)->auth_plugin_name == "mysql_native_password");
    bytes[0] = 9;
    ByteReader old(bytes);
    CHECK(HandshakeV10::parse(old).error() == ParseError::unsupported);
}

TEST_CASE("SSLRequest: 32 bytes, recognised by shape") {
    SslRequest s{kServerCaps | cap::kMariaDbProgress, 1 << 24, 45};
    check_codec(s, 0);
    auto bytes = encode(s, 0);
    CHECK(bytes.size() == kClientHeaderSize);
    CHECK(is_ssl_request(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size())));
    auto full = encode(full_response(), 0);
    CHECK_FALSE(is_ssl_request(std::string_view(reinterpret_cast<const char*>(full.data()), full.size())));
    ByteReader r(bytes);
    auto as_response = HandshakeResponse41::parse(r);
    CHECK_FALSE(as_response.ok());
}

TEST_CASE("HandshakeResponse41: every optional field, MariaDB extended caps") {
    HandshakeResponse41 resp = full_response();
    check_codec(resp, 0);
    auto bytes = encode(resp, 0);
    ByteReader r(bytes);
    auto got = HandshakeResponse41::parse(r);
    REQUIRE(got.ok());
    CHECK(has(got->capabilities, cap::kMariaDbProgress));
    CHECK(got->attributes.size() == 2);
}

TEST_CASE("HandshakeResponse41: auth response encodings") {
    HandshakeResponse41 resp = full_response();
    resp.capabilities &= ~(cap::kPluginAuthLenencClientData | cap::kConnectAttrs);
    resp.attributes.clear();
    check_codec(resp, 0);  // 1-byte length (SECURE_CONNECTION)
    resp.capabilities &= ~(cap::kSecureConnection | cap::kConnectWithDb | cap::kPluginAuth);
    resp.auth_response = "oldstyle";
    resp.database.clear();
    resp.auth_plugin_name.clear();
    check_codec(resp, 0);  // NUL-terminated
    resp.capabilities |= cap::kPluginAuthLenencClientData;
    resp.auth_response = std::string(300, 'x');  // lenenc allows more than 255 bytes
    check_codec(resp, 0);
}

TEST_CASE("HandshakeResponse41: trailing bytes are kept, not refused") {
    HandshakeResponse41 resp = full_response();
    resp.trailing = "\x03";
    check_round_trip(resp, 0);
}

TEST_CASE("HandshakeResponse41: attributes block cut inside a pair is malformed") {
    HandshakeResponse41 resp = full_response();
    auto bytes = encode(resp, 0);
    // Shrink the attributes block length by one: its last pair now ends outside the block.
    std::size_t attrs_size = 0;
    for (const auto& [k, v] : resp.attributes) attrs_size += 1 + k.size() + 1 + v.size();
    std::size_t len_at = bytes.size() - attrs_size - 1;
    REQUIRE(bytes[len_at] == attrs_size);
    bytes[len_at] = static_cast<std::uint8_t>(attrs_size - 1);
    bytes.pop_back();
    ByteReader r(bytes);
    CHECK(HandshakeResponse41::parse(r).error() == ParseError::malformed);
}

TEST_CASE("AuthSwitchRequest and AuthMoreData") {
    AuthSwitchRequest sw{"mysql_native_password", kSeed + std::string(1, '\0')};
    check_round_trip(sw, 0);
    // The plugin data runs to the end of the packet: any prefix past the plugin name's NUL is legal.
    check_truncations(sw, 0, [&](std::size_t n) { return n >= 1 + sw.plugin_name.size() + 1; });
    CHECK(sw.seed() == kSeed);
    auto one = bytes_of("\xFE");
    ByteReader r(one);
    CHECK(AuthSwitchRequest::parse(r).error() == ParseError::unsupported);

    AuthMoreData more{"\x03"};
    check_round_trip(more, 0);
    check_truncations(more, 0, [](std::size_t n) { return n >= 1; });
    auto wrong = bytes_of("\x02x");
    ByteReader w(wrong);
    CHECK(AuthMoreData::parse(w).error() == ParseError::malformed);
}

TEST_CASE("COM_CHANGE_USER: with and without the optional tail") {
    constexpr Capabilities caps = kServerCaps;
    ComChangeUser c{"bob", std::string(20, '\x11'), "shop",
                    45,    "mysql_native_password", {{"_client_name", "libmariadb"}}};
    check_round_trip(c, caps);
    // Ending right after the database is legal (no tail); other prefixes are cut mid-field.
    std::size_t head = 1 + 4 + 1 + 20 + 5;
    check_truncations(c, caps, [&](std::size_t n) { return n == head; });

    ComChangeUser bare{"bob", "", "", std::nullopt, "", {}};
    check_codec(bare, caps);
    ComChangeUser old_style{"bob", "scrambled", "db", 8, "", {}};
    check_round_trip(old_style, cap::kProtocol41);
}

TEST_CASE("HandshakeV10: without CLIENT_PLUGIN_AUTH the scramble-length byte is ignored (fuzz finding)") {
    HandshakeV10 h = mariadb_greeting();
    h.capabilities &= ~cap::kPluginAuth;
    h.auth_plugin_name.clear();
    auto bytes = encode(h, 0);
    std::size_t len_at = 1 + h.server_version.size() + 1 + 4 + 8 + 1 + 2 + 1 + 2 + 2;
    REQUIRE(bytes[len_at] == 0);
    bytes[len_at] = 45;  // garbage in the reserved byte must not change how much scramble is read
    ByteReader r(bytes);
    auto got = HandshakeV10::parse(r);
    REQUIRE(got.ok());
    CHECK(got->auth_plugin_data == kSeed);
    CHECK(r.empty());
    check_round_trip(h, 0);
}

TEST_CASE("HandshakeV10: announced scramble length cannot invent bytes (fuzz finding)") {
    // CLIENT_PLUGIN_AUTH without CLIENT_SECURE_CONNECTION: only part 1 is on the wire, whatever the length
    // says.
    HandshakeV10 h = mariadb_greeting();
    h.capabilities &= ~cap::kSecureConnection;
    h.auth_plugin_data = "";
    check_round_trip(h, 0);
    h.auth_plugin_data = "abc";
    check_round_trip(h, 0);
}
