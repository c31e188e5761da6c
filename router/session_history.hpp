#pragma once
// The session commands a new backend connection must replay to look like the session's others, kept short:
//  - each entry remembers what it sets (variables; SET NAMES / SET CHARACTER SET set the four charset
//    variables; USE sets the database; PREPARE s sets the prepared statement s) and what it reads;
//  - a new entry removes the older ones whose every setting it overwrites (the last `SET x` wins, SET NAMES
//    replaces earlier charset settings, only the last USE stays), unless an entry in between, or the new one,
//    reads what the older one set (`SET @a = 1; SET @b = @a; SET @a = 2` keeps all three);
//  - DEALLOCATE PREPARE s removes PREPARE s and is not kept itself.
// Entries keep their order. Past `max_entries` the history stops recording and says so (overflowed()): the
// proxy can no longer give the session a new backend and should keep it where it is.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "router/statement.hpp"

namespace sluice::router {

class SessionHistory {
  public:
    explicit SessionHistory(std::size_t max_entries = 512) : max_entries_(max_entries) {}

    // Statements without Flag::replayable are ignored.
    void record(const Statement& st);
    // The statements to run on a new backend, oldest first. The views live until the next record().
    std::vector<std::string_view> replay() const;

    std::size_t size() const { return entries_.size(); }
    bool overflowed() const { return overflowed_; }
    void clear() {
        entries_.clear();
        overflowed_ = false;
    }

  private:
    struct Entry {
        std::string sql;
        std::vector<std::string> sets;
        std::vector<std::string> reads;
    };
    bool overwritten(std::size_t i, const Entry& newer) const;
    static Entry entry_of(const Statement& st);

    std::vector<Entry> entries_;
    std::size_t max_entries_;
    bool overflowed_ = false;
};

}  // namespace sluice::router
