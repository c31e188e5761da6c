#pragma once
// A Connector/C connection for the monitor: connect, read and write timeouts always set (a frozen server
// accepts TCP and then never answers), no automatic reconnect, results as column-name maps. Blocking: used
// only on the monitor's threads.

#include <mysql.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "health/backend_spec.hpp"
#include "health/server_status.hpp"

namespace sluice::health {

struct SqlError {
    unsigned code = 0;  // server or client error number
    std::string message;
};

// Empty on success.
using SqlResult = std::optional<SqlError>;

class SqlConn {
  public:
    SqlConn() = default;
    ~SqlConn();
    SqlConn(const SqlConn&) = delete;
    SqlConn& operator=(const SqlConn&) = delete;

    [[nodiscard]] SqlResult connect(const BackendSpec& backend, const MonitorSettings& settings);
    bool connected() const { return mysql_ != nullptr; }
    void close();

    // A statement without a result set (or whose rows do not matter).
    [[nodiscard]] SqlResult exec(std::string_view sql);
    // The rows of the statement's result set.
    [[nodiscard]] SqlResult query(std::string_view sql, std::vector<RowMap>& rows);
    // The first column of the first row (NULL as nullopt); an error when there is no row.
    [[nodiscard]] SqlResult scalar(std::string_view sql, std::optional<std::string>& value);

    // The socket, so that another thread can shut it down to unblock a call (stop()); -1 when closed.
    int socket_fd() const;

  private:
    SqlError error() const;
    MYSQL* mysql_ = nullptr;
};

// Whole seconds for Connector/C's timeouts, rounded up, at least 1.
unsigned timeout_seconds(std::chrono::milliseconds ms);
// 'text' with quotes and backslashes escaped, for the few values that go into statements (names, GTIDs).
std::string quote(std::string_view text);

}  // namespace sluice::health
