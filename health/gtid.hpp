#pragma once
// MariaDB GTIDs (domain-server-seq) and the lists the server reports: @@gtid_binlog_pos, @@gtid_current_pos
// and
// @@gtid_slave_pos (one GTID per domain) and @@gtid_binlog_state (one per domain and server id).
//
// Two comparisons, on purpose different:
//  - reaches(): sequence numbers per domain, what MASTER_GTID_WAIT() and replication itself compare. Right
//  for
//    "has this replica applied what it received" and for ranking replicas of one primary.
//  - contains(): whole GTIDs, server id included. A diverged server at 0-1-16 "reaches" 0-2-16 but does not
//    contain it; only contains() may decide that a server can rejoin or that a candidate has no errant
//    transactions (see MARIADB-NOTES: MASTER_GTID_WAIT compares only sequence numbers).

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::health {

struct Gtid {
    std::uint32_t domain = 0;
    std::uint32_t server_id = 0;
    std::uint64_t seq = 0;

    // Parses "D-S-N"; nullopt on anything else.
    static std::optional<Gtid> parse(std::string_view text);
    std::string to_string() const;
    auto operator<=>(const Gtid&) const = default;
};

// A set of GTIDs kept sorted by (domain, server id), at most one per pair: the highest sequence number seen.
class GtidSet {
  public:
    GtidSet() = default;
    // Parses a comma-separated list as the server prints it ("" is the empty set; spaces and newlines after
    // commas are allowed). nullopt when any element is malformed.
    static std::optional<GtidSet> parse(std::string_view text);
    // For tests and literals: parse or throw std::invalid_argument.
    static GtidSet of(std::string_view text);

    // Adds `g`, keeping the higher sequence number when (domain, server id) is already there.
    void add(const Gtid& g);
    // The union: per (domain, server id) the higher sequence number.
    void merge(const GtidSet& other);

    const std::vector<Gtid>& gtids() const { return gtids_; }
    bool empty() const { return gtids_.empty(); }
    std::string to_string() const;

    // The highest sequence number in `domain` (any server id); nullopt when the domain is absent.
    std::optional<std::uint64_t> seq_in_domain(std::uint32_t domain) const;
    // The GTID with the highest sequence number in `domain`.
    std::optional<Gtid> last_in_domain(std::uint32_t domain) const;
    std::vector<std::uint32_t> domains() const;

    // Sequence numbers per domain: every domain of `other` is here with a sequence number at least as high.
    bool reaches(const GtidSet& other) const;
    // Whole GTID: this set holds (g.domain, g.server_id) with a sequence number at least g.seq. Meant for a
    // binlog *state* (one entry per server id); on a position it is conservative (may say no for a GTID that
    // is in the history under another server id's later GTID).
    bool contains(const Gtid& g) const;
    // contains() for every GTID of `other`.
    bool contains(const GtidSet& other) const;
    // The GTIDs of `other` that this set does not contain.
    std::vector<Gtid> missing(const GtidSet& other) const;

    bool operator==(const GtidSet&) const = default;

  private:
    std::vector<Gtid> gtids_;
};

std::string to_string(const std::vector<Gtid>& gtids);

}  // namespace sluice::health
