#include <doctest/doctest.h>

#include "router/kill_statement.hpp"

using namespace sluice::router;

TEST_CASE("KILL statements the proxy translates, and the ones it leaves alone") {
    struct Row {
        const char* sql;
        bool recognised;
        bool query_only;
        bool hard;
        std::uint64_t id;
    };
    const Row rows[] = {
        {"KILL 42", true, false, true, 42},
        {"kill query 1073741825", true, true, true, 1073741825},
        {"  KILL CONNECTION 7 ;", true, false, true, 7},
        {"KILL SOFT QUERY 9", true, true, false, 9},
        {"KILL HARD CONNECTION 3", true, false, true, 3},
        {"KILL\tQUERY\n12;", true, true, true, 12},
        {"KILL QUERY ID 5", false, false, false, 0},
        {"KILL USER app", false, false, false, 0},
        {"KILL 4x", false, false, false, 0},
        {"KILL", false, false, false, 0},
        {"KILL 1; SELECT 1", false, false, false, 0},
        {"SELECT 'KILL 1'", false, false, false, 0},
        {"/* c */ KILL 1", false, false, false, 0},
    };
    for (const Row& r : rows) {
        CAPTURE(r.sql);
        auto k = parse_kill(r.sql);
        REQUIRE(k.has_value() == r.recognised);
        if (!k) continue;
        CHECK(k->query_only == r.query_only);
        CHECK(k->hard == r.hard);
        CHECK(k->id == r.id);
    }
}
