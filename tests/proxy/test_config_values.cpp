#include <doctest/doctest.h>

#include "proxy/config_values.hpp"

using namespace sluice::proxy;
using std::chrono::milliseconds;

template <class T>
static std::string why(const Parsed<T>& p) {
    auto* s = std::get_if<std::string>(&p);
    return s ? *s : std::string("(parsed)");
}

TEST_CASE("durations need a unit") {
    CHECK(std::get<milliseconds>(parse_duration("250ms")) == milliseconds{250});
    CHECK(std::get<milliseconds>(parse_duration("2s")) == milliseconds{2000});
    CHECK(std::get<milliseconds>(parse_duration("1m")) == milliseconds{60000});
    CHECK(std::get<milliseconds>(parse_duration("1h")) == milliseconds{3600000});
    CHECK(std::get<milliseconds>(parse_duration("10 S")) == milliseconds{10000});
    CHECK(why(parse_duration("500")) == "'500' needs a unit (ms, s, m or h)");
    CHECK(why(parse_duration("5 days")) == "'5 days' has an unknown unit 'days' (use ms, s, m or h)");
    CHECK(why(parse_duration("soon")) == "'soon' is not a duration (e.g. 500ms, 10s, 2m)");
    CHECK(why(parse_duration("99999999999999999999h")) ==
          "'99999999999999999999h' is not a duration (e.g. 500ms, 10s, 2m)");
    CHECK(why(parse_duration("9999999999999999h")) == "'9999999999999999h' is too long");
}

TEST_CASE("sizes in bytes and binary units") {
    CHECK(std::get<std::uint64_t>(parse_size("1024")) == 1024);
    CHECK(std::get<std::uint64_t>(parse_size("16MiB")) == 16ULL << 20);
    CHECK(std::get<std::uint64_t>(parse_size("16M")) == 16ULL << 20);
    CHECK(std::get<std::uint64_t>(parse_size("512KiB")) == 512ULL << 10);
    CHECK(std::get<std::uint64_t>(parse_size("1GiB")) == 1ULL << 30);
    CHECK(std::get<std::uint64_t>(parse_size("1GB")) == 1ULL << 30);
    CHECK(why(parse_size("1TiB")) == "'1TiB' has an unknown unit 'TiB' (use KiB, MiB or GiB)");
    CHECK(why(parse_size("big")) == "'big' is not a size (e.g. 16MiB, 512KiB, 1024)");
}

TEST_CASE("booleans, integers, addresses") {
    CHECK(std::get<bool>(parse_bool("Yes")));
    CHECK_FALSE(std::get<bool>(parse_bool("off")));
    CHECK(why(parse_bool("maybe")) == "'maybe' is not a boolean (true or false)");
    CHECK(std::get<std::int64_t>(parse_int("-12")) == -12);
    CHECK(why(parse_int("12x")) == "'12x' is not an integer");
    CHECK(why(parse_int("99999999999999999999")) == "'99999999999999999999' is out of range");
    CHECK(is_ip_literal("127.0.0.1"));
    CHECK(is_ip_literal("::1"));
    CHECK_FALSE(is_ip_literal("localhost"));
    CHECK_FALSE(is_ip_literal("127.0.0.256"));
}
