#include "router/session_history.hpp"

#include <algorithm>

namespace sluice::router {

namespace {

constexpr std::string_view kDatabaseKey = "#database";  // '#' cannot start a variable name
std::string prepared_key(std::string_view name) {
    return "#prepare:" + std::string(name);
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

bool intersects(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    return std::any_of(a.begin(), a.end(), [&](const std::string& s) { return contains(b, s); });
}

// Old and new spellings of the same variable.
std::string canonical(std::string name) {
    if (name == "tx_isolation") return "transaction_isolation";
    if (name == "tx_read_only") return "transaction_read_only";
    return name;
}

}  // namespace

SessionHistory::Entry SessionHistory::entry_of(const Statement& st) {
    Entry e{st.replay_sql, {}, {}};
    for (const std::string& v : st.vars_assigned) e.sets.push_back(canonical(v));
    for (const std::string& v : st.vars_read) e.reads.push_back(canonical(v));
    if (st.verb == Verb::use) e.sets.emplace_back(kDatabaseKey);
    if (st.verb == Verb::prepare) {
        e.sets.push_back(prepared_key(st.prepared_name));
        e.reads.emplace_back(kDatabaseKey);  // the text's unqualified names resolve in the current database
    }
    return e;
}

// Whether entries_[i] can go now that `newer` follows: it sets nothing `newer` does not, and nothing after it
// reads what it sets.
bool SessionHistory::overwritten(std::size_t i, const Entry& newer) const {
    const Entry& old = entries_[i];
    if (old.sets.empty()) return false;
    for (const std::string& s : old.sets)
        if (!contains(newer.sets, s)) return false;
    if (intersects(old.sets, newer.reads)) return false;
    for (std::size_t j = i + 1; j < entries_.size(); ++j)
        if (intersects(old.sets, entries_[j].reads)) return false;
    return true;
}

void SessionHistory::record(const Statement& st) {
    if (!st.has(Flag::replayable) || overflowed_) return;
    if (st.verb == Verb::deallocate) {
        std::string key = prepared_key(st.prepared_name);
        std::erase_if(entries_, [&](const Entry& e) { return contains(e.sets, key); });
        return;
    }
    Entry e = entry_of(st);
    std::vector<Entry> kept;
    kept.reserve(entries_.size() + 1);
    for (std::size_t i = 0; i < entries_.size(); ++i)
        if (!overwritten(i, e)) kept.push_back(std::move(entries_[i]));
    entries_ = std::move(kept);
    if (entries_.size() >= max_entries_) {
        overflowed_ = true;
        return;
    }
    entries_.push_back(std::move(e));
}

std::vector<std::string_view> SessionHistory::replay() const {
    std::vector<std::string_view> out;
    out.reserve(entries_.size());
    for (const Entry& e : entries_) out.emplace_back(e.sql);
    return out;
}

}  // namespace sluice::router
