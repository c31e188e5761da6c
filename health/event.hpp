#pragma once
// What the monitor did, for operators and tests: failovers, switchovers, fencing, rejoins and refusals,
// each with its steps (what was run where, how it went, how long it took).

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace sluice::health {

enum class EventKind : std::uint8_t {
    failover,          // automatic or manual promotion after the primary was lost
    switchover,        // planned change of primary
    rejoin,            // a server made a replica of the primary again
    fence,             // a former primary set read_only
    diverged,          // a server found to have transactions the primary lacks
    failover_refused,  // the primary is down but no safe failover was possible
};

std::string_view to_string(EventKind k);

struct EventStep {
    std::string backend;
    std::string action;  // e.g. "STOP SLAVE IO_THREAD", "wait for relay log", "promote"
    bool ok = true;
    std::string detail;  // the error, or what was found (positions)
    std::chrono::milliseconds duration{0};
};

struct Event {
    std::uint64_t id = 0;
    EventKind kind = EventKind::failover;
    std::chrono::system_clock::time_point at{};
    bool ok = false;
    std::string old_primary;
    std::string new_primary;
    std::string backend;       // the server concerned (rejoin, fence, diverged)
    std::string old_position;  // the old primary's last known gtid_binlog_pos
    std::string new_position;  // the new primary's gtid_current_pos when promoted
    std::string reason;        // why refused or failed; what was found
    std::chrono::milliseconds duration{0};
    std::chrono::milliseconds writes_paused{0};  // switchover: read_only on the old primary until the new one
                                                 // took writes
    std::vector<EventStep> steps;

    // A new event of kind `k`, stamped now.
    static Event of(EventKind k);
};

// "failover db1 -> db2 ok in 312 ms: ...", one line for the log.
std::string describe(const Event& e);

// The recent history, bounded, safe to read from any thread.
class EventLog {
  public:
    explicit EventLog(std::size_t capacity = 200) : capacity_(capacity) {}
    // Stores `e` with the next id and returns the id.
    std::uint64_t add(Event e);
    std::vector<Event> all() const;

  private:
    mutable std::mutex mu_;
    std::deque<Event> events_;
    std::uint64_t next_id_ = 1;
    std::size_t capacity_;
};

}  // namespace sluice::health
