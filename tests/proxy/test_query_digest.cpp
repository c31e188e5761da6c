// The per-worker digest table and the merge SHOW QUERY DIGEST makes of them (fed fingerprints, as the
// statement probe does).

#include <doctest/doctest.h>

#include "proxy/query_digest.hpp"
#include "router/fingerprint.hpp"

using namespace sluice::proxy;
using sluice::router::fingerprint;
using std::chrono::microseconds;

TEST_CASE("query digest: statements that differ in literals add up per backend") {
    QueryDigest d;
    d.record(fingerprint("SELECT * FROM t WHERE id = 1"), "db1", microseconds(100), 1);
    d.record(fingerprint("select * from t where id=2"), "db1", microseconds(300), 0);
    d.record(fingerprint("SELECT * FROM t WHERE id = 3"), "db2", microseconds(50), 1);
    d.record(fingerprint("UPDATE t SET a = 1"), "db1", microseconds(10), 0);
    auto rows = merge_digests({d.rows()}, 0);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].fingerprint == "SELECT * FROM t WHERE id = ?");
    CHECK(rows[0].backend == "db1");
    CHECK(rows[0].count == 2);
    CHECK(rows[0].sum_us == 400);
    CHECK(rows[0].avg_us() == 200);
    CHECK(rows[0].min_us == 100);
    CHECK(rows[0].max_us == 300);
    CHECK(rows[0].rows == 1);
    CHECK(rows[0].hash == sluice::router::digest_hash(rows[0].fingerprint));
    CHECK(rows[1].backend == "db2");
    CHECK(rows[2].fingerprint == "UPDATE t SET a = ?");
    CHECK(merge_digests({d.rows()}, 1).size() == 1);
}

TEST_CASE("query digest: workers' tables merge; a full table counts the rest in one row") {
    QueryDigest a, b;
    a.record(fingerprint("SELECT 1"), "db1", microseconds(5), 1);
    b.record(fingerprint("SELECT 2"), "db1", microseconds(7), 1);
    auto rows = merge_digests({a.rows(), b.rows()}, 0);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].count == 2);
    CHECK(rows[0].min_us == 5);
    CHECK(rows[0].max_us == 7);

    QueryDigest full;
    for (std::size_t i = 0; i < QueryDigest::kMaxEntries + 10; ++i)
        full.record(fingerprint("SELECT c" + std::to_string(i) + " FROM t"), "db1", microseconds(1), 0);
    auto all = full.rows();
    CHECK(all.size() == QueryDigest::kMaxEntries + 1);
    std::uint64_t overflow = 0;
    for (const auto& r : all)
        if (r.fingerprint == QueryDigest::kOverflow) overflow = r.count;
    CHECK(overflow == 10);
    full.clear();
    CHECK(full.rows().empty());
}
