#include "tests/integration/sql.hpp"

#include <stdexcept>

namespace sluice::test {

Conn::Conn() : mysql_(mysql_init(nullptr)) {
    if (!mysql_) throw std::runtime_error("mysql_init failed");
}

Conn::~Conn() {
    mysql_close(mysql_);
}

SqlError Conn::error() const {
    return {mysql_errno(mysql_), mysql_sqlstate(mysql_), mysql_error(mysql_)};
}

std::optional<SqlError> Conn::connect(const ConnectOptions& o) {
    mysql_optionsv(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &o.timeout_s);
    mysql_optionsv(mysql_, MYSQL_OPT_READ_TIMEOUT, &o.timeout_s);
    mysql_optionsv(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &o.timeout_s);
    bool use_socket = !o.unix_socket.empty();
    unsigned protocol = use_socket ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP;
    mysql_optionsv(mysql_, MYSQL_OPT_PROTOCOL, &protocol);
    if (!mysql_real_connect(mysql_, use_socket ? nullptr : o.host.c_str(), o.user.c_str(), o.password.c_str(),
                            o.database.empty() ? nullptr : o.database.c_str(),
                            use_socket ? 0 : static_cast<unsigned>(o.port),
                            use_socket ? o.unix_socket.c_str() : nullptr, CLIENT_MULTI_STATEMENTS))
        return error();
    return std::nullopt;
}

std::optional<SqlError> Conn::exec(const std::string& sql, std::vector<Row>* rows) {
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) return error();
    bool first = true;
    do {
        MYSQL_RES* res = mysql_store_result(mysql_);
        if (!res && mysql_errno(mysql_)) return error();
        if (res) {
            unsigned n = mysql_num_fields(res);
            while (MYSQL_ROW r = mysql_fetch_row(res)) {
                if (!first || !rows) continue;
                unsigned long* lengths = mysql_fetch_lengths(res);
                Row row;
                for (unsigned i = 0; i < n; ++i)
                    row.push_back(r[i] ? std::optional<std::string>(std::string(r[i], lengths[i]))
                                       : std::nullopt);
                rows->push_back(std::move(row));
            }
            mysql_free_result(res);
            first = false;
        }
        int next = mysql_next_result(mysql_);
        if (next > 0) return error();
        if (next < 0) break;
    } while (true);
    return std::nullopt;
}

std::string Conn::scalar(const std::string& sql) {
    std::vector<Row> rows;
    if (auto e = exec(sql, &rows))
        throw std::runtime_error(sql + ": " + std::to_string(e->code) + " " + e->message);
    if (rows.empty() || rows[0].empty()) throw std::runtime_error(sql + ": no row");
    return rows[0][0].value_or("NULL");
}

std::map<std::string, std::optional<std::string>> Conn::row_map(const std::string& sql) {
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0)
        throw std::runtime_error(sql + ": " + std::to_string(mysql_errno(mysql_)) + " " +
                                 mysql_error(mysql_));
    MYSQL_RES* res = mysql_store_result(mysql_);
    if (!res) throw std::runtime_error(sql + ": no result set");
    std::map<std::string, std::optional<std::string>> out;
    if (MYSQL_ROW r = mysql_fetch_row(res)) {
        unsigned long* lengths = mysql_fetch_lengths(res);
        MYSQL_FIELD* fields = mysql_fetch_fields(res);
        for (unsigned i = 0; i < mysql_num_fields(res); ++i)
            out[fields[i].name] =
                r[i] ? std::optional<std::string>(std::string(r[i], lengths[i])) : std::nullopt;
    }
    mysql_free_result(res);
    return out;
}

void connect_or_throw(Conn& c, const ConnectOptions& o) {
    if (auto e = c.connect(o))
        throw std::runtime_error("connect to " +
                                 (o.unix_socket.empty() ? std::to_string(o.port) : o.unix_socket) + " as " +
                                 o.user + ": " + std::to_string(e->code) + " " + e->message);
}

}  // namespace sluice::test
