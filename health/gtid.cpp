#include "health/gtid.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace sluice::health {

namespace {

template <class T>
std::optional<T> parse_number(std::string_view s) {
    T v{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

std::string_view trim(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

bool same_pair(const Gtid& a, const Gtid& b) {
    return a.domain == b.domain && a.server_id == b.server_id;
}

bool pair_less(const Gtid& a, const Gtid& b) {
    return a.domain != b.domain ? a.domain < b.domain : a.server_id < b.server_id;
}

}  // namespace

std::optional<Gtid> Gtid::parse(std::string_view text) {
    auto first = text.find('-');
    if (first == std::string_view::npos) return std::nullopt;
    auto second = text.find('-', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    auto d = parse_number<std::uint32_t>(text.substr(0, first));
    auto s = parse_number<std::uint32_t>(text.substr(first + 1, second - first - 1));
    auto n = parse_number<std::uint64_t>(text.substr(second + 1));
    if (!d || !s || !n) return std::nullopt;
    return Gtid{*d, *s, *n};
}

std::string Gtid::to_string() const {
    return std::to_string(domain) + "-" + std::to_string(server_id) + "-" + std::to_string(seq);
}

std::optional<GtidSet> GtidSet::parse(std::string_view text) {
    GtidSet set;
    text = trim(text);
    while (!text.empty()) {
        auto comma = text.find(',');
        auto item = trim(text.substr(0, comma));
        auto g = Gtid::parse(item);
        if (!g) return std::nullopt;
        set.add(*g);
        if (comma == std::string_view::npos) break;
        text = text.substr(comma + 1);
        if (trim(text).empty()) return std::nullopt;  // a trailing comma
    }
    return set;
}

GtidSet GtidSet::of(std::string_view text) {
    auto set = parse(text);
    if (!set) throw std::invalid_argument("not a GTID list: '" + std::string(text) + "'");
    return *set;
}

void GtidSet::add(const Gtid& g) {
    auto at = std::lower_bound(gtids_.begin(), gtids_.end(), g, pair_less);
    if (at != gtids_.end() && same_pair(*at, g))
        at->seq = std::max(at->seq, g.seq);
    else
        gtids_.insert(at, g);
}

void GtidSet::merge(const GtidSet& other) {
    for (const Gtid& g : other.gtids_) add(g);
}

std::string GtidSet::to_string() const {
    return health::to_string(gtids_);
}

std::optional<std::uint64_t> GtidSet::seq_in_domain(std::uint32_t domain) const {
    auto g = last_in_domain(domain);
    if (!g) return std::nullopt;
    return g->seq;
}

std::optional<Gtid> GtidSet::last_in_domain(std::uint32_t domain) const {
    std::optional<Gtid> best;
    for (const Gtid& g : gtids_)
        if (g.domain == domain && (!best || g.seq > best->seq)) best = g;
    return best;
}

std::vector<std::uint32_t> GtidSet::domains() const {
    std::vector<std::uint32_t> out;
    for (const Gtid& g : gtids_)
        if (out.empty() || out.back() != g.domain) out.push_back(g.domain);
    return out;
}

bool GtidSet::reaches(const GtidSet& other) const {
    for (std::uint32_t d : other.domains()) {
        auto mine = seq_in_domain(d);
        if (!mine || *mine < *other.seq_in_domain(d)) return false;
    }
    return true;
}

bool GtidSet::contains(const Gtid& g) const {
    auto at = std::lower_bound(gtids_.begin(), gtids_.end(), g, pair_less);
    return at != gtids_.end() && same_pair(*at, g) && at->seq >= g.seq;
}

bool GtidSet::contains(const GtidSet& other) const {
    return missing(other).empty();
}

std::vector<Gtid> GtidSet::missing(const GtidSet& other) const {
    std::vector<Gtid> out;
    for (const Gtid& g : other.gtids_)
        if (!contains(g)) out.push_back(g);
    return out;
}

std::string to_string(const std::vector<Gtid>& gtids) {
    std::string out;
    for (const Gtid& g : gtids) {
        if (!out.empty()) out += ',';
        out += g.to_string();
    }
    return out;
}

}  // namespace sluice::health
