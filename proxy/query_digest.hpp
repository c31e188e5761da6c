#pragma once
// The query digest (SHOW QUERY DIGEST, after ProxySQL's stats_mysql_query_digest): per statement fingerprint
// (router/fingerprint.hpp) and target backend, how often it ran, how long it took and how many rows it sent.
// One table per worker: the worker records each statement as it completes, the admin console merges the
// tables. The lock is per worker and taken by that worker for one map update (and by SHOW for a copy): it
// is uncontended on the data path, and the fingerprint is computed before it is taken.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sluice::proxy {

struct DigestRow {
    std::uint64_t hash = 0;
    std::string fingerprint;
    std::string backend;
    std::uint64_t count = 0;
    std::uint64_t sum_us = 0;
    std::uint64_t min_us = 0;
    std::uint64_t max_us = 0;
    std::uint64_t rows = 0;  // rows sent to the client (result-set rows; 0 for OK-only statements)
    std::uint64_t avg_us() const { return count ? sum_us / count : 0; }
};

class QueryDigest {
  public:
    // Distinct (fingerprint, backend) pairs kept per worker; beyond it, new ones add up in one row
    // whose fingerprint is kOverflow.
    static constexpr std::size_t kMaxEntries = 5000;
    static constexpr std::string_view kOverflow = "(other statements: digest table full)";

    // `fingerprint`: the statement's (router::fingerprint_into), made by the caller, which may have its
    // tokens at hand from the classification.
    void record(std::string_view fingerprint, std::string_view backend, std::chrono::nanoseconds elapsed,
                std::uint64_t rows);
    std::vector<DigestRow> rows() const;
    void clear();

  private:
    mutable std::mutex mu_;
    std::unordered_map<std::string, DigestRow> map_;  // key: backend '\0' fingerprint
    std::string key_;                                 // record()'s buffer (the worker's only)
};

// The tables of every worker as one: rows of the same digest and backend added up, the most time first; at
// most `limit` rows (0: all).
std::vector<DigestRow> merge_digests(const std::vector<std::vector<DigestRow>>& tables, std::size_t limit);

}  // namespace sluice::proxy
