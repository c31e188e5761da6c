#include "proxy/query_digest.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "router/fingerprint.hpp"  // digest_hash

namespace sluice::proxy {

namespace {

void add(DigestRow& into, const DigestRow& from) {
    into.min_us = into.count == 0 ? from.min_us : std::min(into.min_us, from.min_us);
    into.count += from.count;
    into.sum_us += from.sum_us;
    into.max_us = std::max(into.max_us, from.max_us);
    into.rows += from.rows;
}

}  // namespace

void QueryDigest::record(std::string_view fingerprint, std::string_view backend,
                         std::chrono::nanoseconds elapsed, std::uint64_t rows) {
    // key_ is the worker's own (only it records), outside the lock: no allocation once it has grown to the
    // statements' size.
    std::string_view fp = fingerprint;
    auto us =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
    DigestRow one;
    one.count = 1;
    one.sum_us = one.min_us = one.max_us = us;
    one.rows = rows;
    std::string& key = key_;
    key.assign(backend).append(1, '\0').append(fp);
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) {
        if (map_.size() >= kMaxEntries) {
            fp = kOverflow;
            key.assign(backend).append(1, '\0').append(fp);
            it = map_.find(key);
        }
        if (it == map_.end()) {
            DigestRow fresh;
            fresh.hash = router::digest_hash(fp);
            fresh.fingerprint = std::string(fp);
            fresh.backend = std::string(backend);
            it = map_.emplace(key, std::move(fresh)).first;
        }
    }
    add(it->second, one);
}

std::vector<DigestRow> QueryDigest::rows() const {
    std::lock_guard lock(mu_);
    std::vector<DigestRow> out;
    out.reserve(map_.size());
    for (const auto& [key, row] : map_) out.push_back(row);
    return out;
}

void QueryDigest::clear() {
    std::lock_guard lock(mu_);
    map_.clear();
}

std::vector<DigestRow> merge_digests(const std::vector<std::vector<DigestRow>>& tables, std::size_t limit) {
    std::map<std::pair<std::string, std::string>, DigestRow> merged;  // (fingerprint, backend)
    for (const auto& table : tables) {
        for (const DigestRow& r : table) {
            auto [it, fresh] = merged.try_emplace({r.fingerprint, r.backend}, r);
            if (!fresh) add(it->second, r);
        }
    }
    std::vector<DigestRow> out;
    out.reserve(merged.size());
    for (auto& [key, row] : merged) out.push_back(std::move(row));
    // Most total time first; ties by count, then by text so that the order is stable.
    std::sort(out.begin(), out.end(), [](const DigestRow& a, const DigestRow& b) {
        if (a.sum_us != b.sum_us) return a.sum_us > b.sum_us;
        if (a.count != b.count) return a.count > b.count;
        return std::tie(a.fingerprint, a.backend) < std::tie(b.fingerprint, b.backend);
    });
    if (limit > 0 && out.size() > limit) out.resize(limit);
    return out;
}

}  // namespace sluice::proxy
