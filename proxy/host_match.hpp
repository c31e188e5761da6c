#pragma once
// The host half of MariaDB's user@host, for client addresses. Pure: no I/O, no logging.
//
// What MariaDB does (sql/sql_acl.cpp, compare_hostname / update_hostname, 10.11):
//   - "a.b.c.d/m.m.m.m" with a non-zero mask matches an IPv4 client when (ip & mask) == a.b.c.d;
//   - anything else is a LIKE-style pattern: '%' any run, '_' one character, '\' makes the next one literal,
//     compared case-insensitively;
//   - an empty host is the same as '%'.
// Sluice compares client IP addresses only, as a server started with --skip-name-resolve does: a TCP
// client's "host" is its address, so 'localhost' does not match it and 127.0.0.1 and ::1 are taken
// literally; a client on the Unix socket (listen.socket) is "localhost", as a socket login on the server;
// patterns naming other hosts ('%.example.com') match nothing.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::proxy {

class HostPattern {
  public:
    explicit HostPattern(std::string_view pattern);

    // `client_ip` as normalize_client_ip() returns it.
    bool matches(std::string_view client_ip) const;

    // MariaDB's specificity of the pattern (get_magic_sort in sql/acl_sort.h): smaller is more specific.
    // An exact address or an ip/netmask is 0; a pattern with wildcards grows with how many host names it
    // could match (a '%' that can absorb many characters more than a few '_'), then with how late its first
    // wildcard comes (MariaDB's historical tie-break).
    std::uint64_t specificity() const { return specificity_; }

    // The pattern MariaDB works with ("%" for an empty one).
    const std::string& text() const { return text_; }

  private:
    enum class TokenKind : std::uint8_t { literal, any_one, any_run };
    struct Token {
        TokenKind kind;
        char ch;
    };
    struct Netmask {
        std::uint32_t ip;
        std::uint32_t mask;
    };

    bool wildcard_matches(std::string_view s) const;

    std::string text_;
    std::vector<Token> tokens_;
    std::optional<Netmask> netmask_;
    std::uint64_t specificity_ = 0;
};

// "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) becomes "10.0.0.1", as MariaDB's vio does;
// anything else is returned unchanged.
std::string normalize_client_ip(std::string_view ip);

// "a.b.c.d" with each part 0..255 in decimal, as MariaDB's calc_ip() reads it.
std::optional<std::uint32_t> parse_ipv4(std::string_view s);

}  // namespace sluice::proxy
