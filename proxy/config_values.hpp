#pragma once
// Parsing of the scalar value forms the config accepts: durations with units, byte sizes, booleans, integers.
// Each returns the value or a short explanation that the caller prefixes with the key's location.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace sluice::proxy {

template <class T>
using Parsed = std::variant<T, std::string>;  // value, or why it is not one

// "250ms", "2s", "1m", "1h". A bare number is refused: a unit is what makes "500" unambiguous.
Parsed<std::chrono::milliseconds> parse_duration(std::string_view s);
// "1048576", "512KiB", "16MiB", "1GiB" (K/M/G and KB/MB/GB are read as binary units too, as MariaDB does).
Parsed<std::uint64_t> parse_size(std::string_view s);
// true/false, yes/no, on/off.
Parsed<bool> parse_bool(std::string_view s);
Parsed<std::int64_t> parse_int(std::string_view s);
// An IPv4 or IPv6 literal (listeners bind to addresses, not names).
bool is_ip_literal(std::string_view s);

}  // namespace sluice::proxy
