// GTID parsing and the two comparisons: sequence numbers per domain (what MASTER_GTID_WAIT does) and whole
// GTIDs (what divergence checks need).

#include <doctest/doctest.h>

#include <stdexcept>

#include "health/gtid.hpp"

using namespace sluice::health;

TEST_CASE("GTID lists parse as the server prints them, and only those") {
    struct Case {
        const char* text;
        const char* canonical;  // nullptr: must not parse
    };
    const Case cases[] = {
        {"", ""},
        {"0-1-16", "0-1-16"},
        {"0-1-16,1-2-5", "0-1-16,1-2-5"},
        {"1-2-5,0-1-16", "0-1-16,1-2-5"},      // kept sorted by domain, server id
        {"0-1-16,\n0-2-20", "0-1-16,0-2-20"},  // gtid_binlog_state: one per server id
        {"  0-1-3 , 0-1-7 ", "0-1-7"},         // the same (domain, server id) twice: the higher wins
        {"4294967295-4294967295-18446744073709551615", "4294967295-4294967295-18446744073709551615"},
        {"0-1", nullptr},
        {"0-1-", nullptr},
        {"a-1-2", nullptr},
        {"0-1-2-3", nullptr},
        {"0-1-2,", nullptr},
        {"0--1-2", nullptr},
        {"4294967296-1-1", nullptr},
        {"0-1-16;0-2-3", nullptr},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        auto set = GtidSet::parse(c.text);
        if (!c.canonical) {
            CHECK_FALSE(set);
            continue;
        }
        REQUIRE(set);
        CHECK(set->to_string() == c.canonical);
        CHECK(GtidSet::parse(set->to_string()) == set);  // round trip
    }
    CHECK_THROWS_AS(GtidSet::of("nope"), std::invalid_argument);
}

TEST_CASE("reaches() compares sequence numbers per domain; contains() whole GTIDs") {
    struct Case {
        const char* have;
        const char* want;
        bool reaches;
        bool contains;
    };
    const Case cases[] = {
        {"0-1-16", "0-1-16", true, true},
        {"0-1-17", "0-1-16", true, true},
        {"0-1-15", "0-1-16", false, false},
        // The diverged case of MARIADB-NOTES: same sequence number from another server. MASTER_GTID_WAIT
        // (sequence numbers) says yes; the histories differ.
        {"0-2-16", "0-1-16", true, false},
        {"0-1-16", "0-2-16", true, false},
        // A binlog state holds the last GTID of every server id: 0-1-16 is in this history.
        {"0-1-16,0-2-20", "0-1-16", true, true},
        {"0-1-15,0-2-20", "0-1-16", true, false},  // diverged: server 1 wrote 16 that this history never got
        {"0-1-16", "0-1-16,1-1-3", false, false},  // a domain missing
        {"0-1-16,1-1-3", "0-1-16", true, true},
        {"", "", true, true},
        {"0-1-1", "", true, true},
        {"", "0-1-1", false, false},
    };
    for (const Case& c : cases) {
        CAPTURE(c.have);
        CAPTURE(c.want);
        const GtidSet have = GtidSet::of(c.have), want = GtidSet::of(c.want);
        CHECK(have.reaches(want) == c.reaches);
        CHECK(have.contains(want) == c.contains);
    }
}

TEST_CASE("missing() lists the GTIDs a history lacks") {
    const GtidSet primary = GtidSet::of("0-1-15,0-2-20,1-3-4");
    CHECK(to_string(primary.missing(GtidSet::of("0-1-16"))) == "0-1-16");
    CHECK(to_string(primary.missing(GtidSet::of("0-1-15,1-3-4"))) == "");
    CHECK(to_string(primary.missing(GtidSet::of("0-1-16,1-3-5,2-9-1"))) == "0-1-16,1-3-5,2-9-1");
}

TEST_CASE("per-domain lookups and merge") {
    GtidSet s = GtidSet::of("0-1-15,0-2-20,1-3-4");
    CHECK(s.seq_in_domain(0) == 20u);
    CHECK(s.last_in_domain(0)->to_string() == "0-2-20");
    CHECK(s.seq_in_domain(1) == 4u);
    CHECK_FALSE(s.seq_in_domain(2));
    CHECK(s.domains() == std::vector<std::uint32_t>{0, 1});
    s.merge(GtidSet::of("0-1-18,2-1-1,1-3-2"));
    CHECK(s.to_string() == "0-1-18,0-2-20,1-3-4,2-1-1");
    CHECK(Gtid::parse("0-1-16") == Gtid{0, 1, 16});
    CHECK_FALSE(Gtid::parse("0-1-x"));
}
