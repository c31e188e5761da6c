#pragma once
// The admin console's commands: a case-insensitive {verb, handler} table over what the console can read (the
// running config, the monitor's snapshot and events, the workers' counters) and do (switchover, failover,
// rejoin). No sockets here: a handler turns one statement into a Reply, which the session encodes with the
// same result-set writer for every answer. Operations that block (the monitor's) come back as an Operation
// for the session to run off its event loop.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "health/event.hpp"
#include "health/monitor.hpp"
#include "health/overrides.hpp"
#include "health/topology.hpp"
#include "protocol/err_packet.hpp"
#include "protocol/text_row.hpp"
#include "proxy/config.hpp"
#include "proxy/pool_stats.hpp"
#include "proxy/query_digest.hpp"
#include "proxy/session_activity.hpp"
#include "proxy/stats.hpp"

namespace sluice::proxy::admin {

// What RELOAD CONFIG did: applied (the message lists the changes, and what needs a restart) or refused.
struct ReloadOutcome {
    bool ok = false;
    std::string message;
};

// What the commands read and do. Every member may be called from the event loop except the operations
// (switchover, failover, rejoin, set_server), which block until the monitor is done and run on a thread of
// their own.
struct Context {
    std::function<std::shared_ptr<const Config>()> config;  // the running config (the latest reload)
    std::string version;                                    // Sluice's
    std::function<std::shared_ptr<const health::Topology>()> topology;
    std::function<std::vector<health::Event>()> events;
    std::function<CountersSnapshot()> counters;
    std::function<health::OperationResult(std::optional<std::string> target)> switchover;
    std::function<health::OperationResult(std::optional<std::string> target, bool force)> failover;
    std::function<health::OperationResult(const std::string& name)> rejoin;
    std::function<health::OperationResult(const std::string& name, health::Override o)> set_server;
    std::function<std::vector<PoolRow>()> pools;
    std::function<std::vector<SessionInfo>()> sessions;
    std::function<std::vector<DigestRow>(std::size_t limit)> digests;  // merged, most time first
    std::function<void(bool paused)> set_paused;                       // PAUSE (true) / RESUME (false)
    std::function<bool()> paused;
    std::function<bool(std::uint32_t id)> kill_session;  // false: no such session
    // Stops Sluice once the answer is sent: graceful lets running statements finish
    // (limits.shutdown_timeout).
    std::function<void(bool graceful)> shutdown;
    std::function<ReloadOutcome()> reload;  // blocks (an operation): resolves and adds new backends
};

struct Column {
    std::string name;
    bool numeric = false;  // sent as BIGINT so clients align and sort it as a number
};

struct Table {
    std::vector<Column> columns;
    std::vector<protocol::TextRow> rows;
};

struct Ok {
    std::string info;
};

// A blocking call to run off the event loop; its result becomes an OK (message) or an ERR (reason).
struct Operation {
    std::string what;  // "SWITCHOVER TO db2", for the log
    std::function<health::OperationResult()> run;
};

using Reply = std::variant<Table, Ok, protocol::ErrPacket, Operation>;

// A statement split into words: `verb` the matched table entry ("SHOW SERVERS"), `args` the words after it
// as written (names keep their case).
struct Parsed {
    std::string verb;
    std::vector<std::string> args;
};

// The statement without surrounding whitespace and trailing semicolons, split on whitespace.
std::vector<std::string> split_words(std::string_view sql);
// The longest table entry the statement starts with (case-insensitive), or nullopt.
std::optional<Parsed> parse(std::string_view sql);
// The verbs an operator is shown in the unknown-command hint, in table order.
std::vector<std::string> listed_verbs();
// Runs one statement (COM_QUERY text).
Reply dispatch(const Context& ctx, std::string_view sql);

}  // namespace sluice::proxy::admin
