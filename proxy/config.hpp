#pragma once
// Sluice's configuration as typed, validated values. Built once from YAML (config_load.cpp) and then never
// changed: a reload builds a new Config and swaps it in whole.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "health/backend_spec.hpp"

namespace sluice::proxy {

struct ListenerConfig {
    std::string address;
    std::uint16_t port = 0;
    // The client listener only: a Unix domain socket path, in addition to the TCP port ("" = none). Clients
    // on the socket log in as from 'localhost', as on a MariaDB server's own socket.
    std::string socket;
    bool operator==(const ListenerConfig&) const = default;
};

struct AdminConfig {
    ListenerConfig listen{"127.0.0.1", 6032, ""};
    std::string user = "admin";
    std::string password;
    bool operator==(const AdminConfig&) const = default;
};

// A client account declared in the config instead of (or before) the ones read from the backends.
struct UserConfig {
    std::string name;
    std::string password;
    std::string host = "%";        // which client addresses may use it, as in MariaDB's user@host
    std::string backend_user;      // how Sluice logs in to the backends for this client (default: name)
    std::string backend_password;  // (default: password)
    bool operator==(const UserConfig&) const = default;
};

struct UsersConfig {
    bool fetch_from_backends = true;  // read accounts from mysql.global_priv with the monitor account
    std::chrono::milliseconds refresh_min_interval{1000};  // rate limit for re-reading on an unknown user
    std::vector<UserConfig> list;
    bool operator==(const UsersConfig&) const = default;
};

// How the kernel schedules the worker threads (worker_scheduling()).
enum class WorkerScheduling : std::uint8_t {
    automatic,  // adaptive on a machine of 2 cores or fewer, normal above
    normal,     // SCHED_OTHER: a worker woken by a socket preempts the thread that woke it
    batch,      // SCHED_BATCH: it waits for that thread to block or use up its slice
    adaptive,   // batch while few statements wait on the worker, normal while many do
                // (Worker::adapt_scheduling)
};

struct LimitsConfig {
    int workers = 0;  // event-loop threads; 0 = automatic (worker_count())
    WorkerScheduling scheduling = WorkerScheduling::automatic;
    std::uint32_t max_client_connections = 10000;
    std::uint32_t max_backend_connections = 500;  // per backend
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds handshake_timeout{10000};
    std::chrono::milliseconds idle_timeout{0};  // 0 = never
    std::uint64_t max_packet_size = 1ULL << 30;
    std::chrono::milliseconds shutdown_timeout{10000};  // SIGTERM: how long running statements may finish
    bool operator==(const LimitsConfig&) const = default;
};

// The read/write split (router/route.hpp has the rules).
enum class ConsistencyMode : std::uint8_t {
    none,     // replicas answer as they are
    session,  // read-your-writes: after a session's write, a replica read first waits for that write's GTID
    global,   // every replica read first waits for the primary's current GTID position
};
enum class ReadFallback : std::uint8_t { primary, error };

struct RoutingConfig {
    bool read_write_split = true;                          // false: everything to the primary
    std::chrono::milliseconds max_replication_lag{30000};  // 0 = no limit
    ReadFallback fallback = ReadFallback::primary;         // no replica qualifies
    ConsistencyMode consistency = ConsistencyMode::session;
    std::chrono::milliseconds gtid_wait_timeout{1000};  // then the read goes to the primary
    bool read_retry = true;  // a read whose backend died before answering runs once more elsewhere
    bool operator==(const RoutingConfig&) const = default;
};

enum class LogFormat : std::uint8_t { text, json };

struct LoggingConfig {
    std::string level = "info";  // trace, debug, info, warn, error, critical, off
    LogFormat format = LogFormat::text;
    std::string file;  // empty = standard error
    bool operator==(const LoggingConfig&) const = default;
};

struct Config {
    std::string source;  // the file it was read from, for messages
    ListenerConfig listen{"127.0.0.1", 6033, ""};
    AdminConfig admin;
    std::vector<health::BackendSpec> backends;
    health::MonitorSettings monitor;
    RoutingConfig routing;
    UsersConfig users;
    LimitsConfig limits;
    LoggingConfig logging;
};

struct ConfigError {
    std::string message;  // "FILE:LINE: key.path: what is wrong"
};

using ConfigResult = std::variant<Config, ConfigError>;

// Event-loop threads for `limits.workers` on a machine with `cores` CPUs. 0 means one per core, except on a
// machine of 2 cores or fewer: there the proxy shares the cores with its clients or databases, and one worker
// measured less CPU per statement and as much throughput as two (docs/benchmarks.md).
int worker_count(const LimitsConfig& limits, unsigned cores);
// normal or batch (never automatic) for a machine of `cores` cores.
WorkerScheduling worker_scheduling(const LimitsConfig& limits, unsigned cores);
const char* to_string(WorkerScheduling s);

// Reads and validates a YAML file; never throws.
ConfigResult load_config_file(const std::string& path);
// Same, from text already in memory (`source` names it in messages).
ConfigResult load_config_text(const std::string& text, const std::string& source);

}  // namespace sluice::proxy
