#pragma once
// A small Connector/C client for the integration tests: connect over TCP (or a node's socket), run
// statements, read rows as optional strings, and see the server's error code, SQLSTATE and message.

#include <mysql.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::test {

using Row = std::vector<std::optional<std::string>>;

struct SqlError {
    unsigned code = 0;
    std::string sql_state;
    std::string message;
};

struct ConnectOptions {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string unix_socket;  // instead of host:port
    std::string user;
    std::string password;
    std::string database;
    unsigned timeout_s = 10;  // connect, read and write
};

class Conn {
  public:
    Conn();
    ~Conn();
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;

    // Empty optional on success; the error otherwise.
    std::optional<SqlError> connect(const ConnectOptions& o);
    // Runs one statement (or several) and returns the rows of the first result; error as in connect().
    std::optional<SqlError> exec(const std::string& sql, std::vector<Row>* rows = nullptr);
    // The first row as column name -> value (SHOW SLAVE STATUS and friends); empty when there is no row.
    std::map<std::string, std::optional<std::string>> row_map(const std::string& sql);
    // The first column of the first row; throws (failing the test with context) on error or no row.
    std::string scalar(const std::string& sql);
    MYSQL* raw() { return mysql_; }

  private:
    SqlError error() const;
    MYSQL* mysql_;
};

// "1045 (28000) Access denied ..." or "ok", for test messages.
inline std::string describe(const std::optional<SqlError>& e) {
    return e ? std::to_string(e->code) + " (" + e->sql_state + ") " + e->message : std::string("ok");
}

// Requires success, showing the error otherwise.
#define REQUIRE_OK(expr)                                  \
    do {                                                  \
        auto sluice_test_err_ = (expr);                   \
        INFO(::sluice::test::describe(sluice_test_err_)); \
        REQUIRE_FALSE(sluice_test_err_.has_value());      \
    } while (0)

// Connects or throws with the server's message.
void connect_or_throw(Conn& c, const ConnectOptions& o);

}  // namespace sluice::test
