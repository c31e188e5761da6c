#pragma once
// One check of one backend: two round trips on a persistent connection (variables, then SHOW ALL SLAVES
// STATUS), reconnecting when the previous check failed. Blocking, bounded by the connection's timeouts.

#include <chrono>
#include <string>
#include <vector>

#include "health/backend_spec.hpp"
#include "health/server_status.hpp"
#include "health/sql_conn.hpp"

namespace sluice::health {

struct ProbeResult {
    bool ok = false;
    ServerStatus status;  // when ok
    SqlError error;       // when not
    std::chrono::microseconds latency{0};
};

// The statement that reads every variable of a check in one round trip (columns named as parse expects).
extern const char* const kProbeVariablesSql;

[[nodiscard]] ProbeResult probe_backend(SqlConn& conn, const BackendSpec& backend, const MonitorSettings& s);

// Builds a ServerStatus from the variables row and the SHOW ALL SLAVES STATUS rows; an error message when a
// value does not parse.
[[nodiscard]] std::optional<ServerStatus> parse_server_status(const RowMap& vars,
                                                              const std::vector<RowMap>& slaves,
                                                              std::string& error);

}  // namespace sluice::health
