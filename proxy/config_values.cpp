#include "proxy/config_values.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>

namespace sluice::proxy {

namespace {

struct Unit {
    std::string_view suffix;
    std::uint64_t factor;
};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// Splits "123abc" into 123 and "abc"; false when there are no leading digits or the number overflows.
bool split_number(std::string_view s, std::uint64_t& n, std::string_view& unit) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || ptr == s.data()) return false;
    unit = s.substr(static_cast<std::size_t>(ptr - s.data()));
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    return true;
}

}  // namespace

Parsed<std::chrono::milliseconds> parse_duration(std::string_view s) {
    constexpr std::array<Unit, 4> kUnits{{{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}}};
    std::uint64_t n = 0;
    std::string_view unit;
    if (!split_number(s, n, unit)) return "'" + std::string(s) + "' is not a duration (e.g. 500ms, 10s, 2m)";
    if (unit.empty()) return "'" + std::string(s) + "' needs a unit (ms, s, m or h)";
    std::string u = lower(unit);
    for (const Unit& k : kUnits) {
        if (u != k.suffix) continue;
        if (n > std::numeric_limits<std::int64_t>::max() / k.factor)
            return "'" + std::string(s) + "' is too long";
        return std::chrono::milliseconds(static_cast<std::int64_t>(n * k.factor));
    }
    return "'" + std::string(s) + "' has an unknown unit '" + std::string(unit) + "' (use ms, s, m or h)";
}

Parsed<std::uint64_t> parse_size(std::string_view s) {
    constexpr std::array<Unit, 10> kUnits{{{"", 1},
                                           {"b", 1},
                                           {"k", 1ULL << 10},
                                           {"kb", 1ULL << 10},
                                           {"kib", 1ULL << 10},
                                           {"m", 1ULL << 20},
                                           {"mb", 1ULL << 20},
                                           {"mib", 1ULL << 20},
                                           {"g", 1ULL << 30},
                                           {"gib", 1ULL << 30}}};
    std::uint64_t n = 0;
    std::string_view unit;
    if (!split_number(s, n, unit)) return "'" + std::string(s) + "' is not a size (e.g. 16MiB, 512KiB, 1024)";
    std::string u = lower(unit);
    if (u == "gb") u = "g";
    for (const Unit& k : kUnits) {
        if (u != k.suffix) continue;
        if (n > std::numeric_limits<std::uint64_t>::max() / k.factor)
            return "'" + std::string(s) + "' is too large";
        return n * k.factor;
    }
    return "'" + std::string(s) + "' has an unknown unit '" + std::string(unit) + "' (use KiB, MiB or GiB)";
}

Parsed<bool> parse_bool(std::string_view s) {
    std::string v = lower(s);
    if (v == "true" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "no" || v == "off") return false;
    return "'" + std::string(s) + "' is not a boolean (true or false)";
}

Parsed<std::int64_t> parse_int(std::string_view s) {
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc::result_out_of_range) return "'" + std::string(s) + "' is out of range";
    if (ec != std::errc() || ptr != s.data() + s.size()) return "'" + std::string(s) + "' is not an integer";
    return n;
}

bool is_ip_literal(std::string_view s) {
    std::string z(s);
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, z.c_str(), buf) == 1 || inet_pton(AF_INET6, z.c_str(), buf) == 1;
}

}  // namespace sluice::proxy
