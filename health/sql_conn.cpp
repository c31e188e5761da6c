#include "health/sql_conn.hpp"

namespace sluice::health {

unsigned timeout_seconds(std::chrono::milliseconds ms) {
    auto s = (ms.count() + 999) / 1000;
    return static_cast<unsigned>(s < 1 ? 1 : s);
}

std::string quote(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

SqlConn::~SqlConn() {
    close();
}

void SqlConn::close() {
    if (mysql_) mysql_close(mysql_);
    mysql_ = nullptr;
}

SqlError SqlConn::error() const {
    return {mysql_errno(mysql_), mysql_error(mysql_)};
}

SqlResult SqlConn::connect(const BackendSpec& backend, const MonitorSettings& settings) {
    close();
    mysql_ = mysql_init(nullptr);
    if (!mysql_) return SqlError{0, "mysql_init failed"};
    const unsigned connect_s = timeout_seconds(settings.connect_timeout);
    const unsigned read_s = timeout_seconds(settings.read_timeout);
    const unsigned write_s = timeout_seconds(settings.write_timeout);
    const unsigned protocol = MYSQL_PROTOCOL_TCP;
    const my_bool reconnect = 0;
    mysql_optionsv(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_s);
    mysql_optionsv(mysql_, MYSQL_OPT_READ_TIMEOUT, &read_s);
    mysql_optionsv(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &write_s);
    mysql_optionsv(mysql_, MYSQL_OPT_PROTOCOL, &protocol);
    mysql_optionsv(mysql_, MYSQL_OPT_RECONNECT, &reconnect);
    if (!mysql_real_connect(mysql_, backend.host.c_str(), settings.user.c_str(), settings.password.c_str(),
                            nullptr, backend.port, nullptr, 0)) {
        SqlError e = error();
        close();
        return e;
    }
    return std::nullopt;
}

SqlResult SqlConn::exec(std::string_view sql) {
    std::vector<RowMap> ignored;
    return query(sql, ignored);
}

SqlResult SqlConn::query(std::string_view sql, std::vector<RowMap>& rows) {
    if (!mysql_) return SqlError{2006, "not connected"};
    rows.clear();
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) return error();
    MYSQL_RES* res = mysql_store_result(mysql_);
    if (!res) return mysql_errno(mysql_) ? SqlResult(error()) : std::nullopt;
    const unsigned n = mysql_num_fields(res);
    MYSQL_FIELD* fields = mysql_fetch_fields(res);
    while (MYSQL_ROW r = mysql_fetch_row(res)) {
        unsigned long* lengths = mysql_fetch_lengths(res);
        RowMap row;
        for (unsigned i = 0; i < n; ++i)
            row[fields[i].name] =
                r[i] ? std::optional<std::string>(std::string(r[i], lengths[i])) : std::nullopt;
        rows.push_back(std::move(row));
    }
    const bool failed = mysql_errno(mysql_) != 0;
    mysql_free_result(res);
    return failed ? SqlResult(error()) : std::nullopt;
}

SqlResult SqlConn::scalar(std::string_view sql, std::optional<std::string>& value) {
    if (!mysql_) return SqlError{2006, "not connected"};
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) return error();
    MYSQL_RES* res = mysql_store_result(mysql_);
    if (!res) return mysql_errno(mysql_) ? error() : SqlError{0, "no result set"};
    MYSQL_ROW r = mysql_fetch_row(res);
    SqlResult out;
    if (!r || mysql_num_fields(res) == 0)
        out = mysql_errno(mysql_) ? error() : SqlError{0, "no row"};
    else
        value =
            r[0] ? std::optional<std::string>(std::string(r[0], mysql_fetch_lengths(res)[0])) : std::nullopt;
    mysql_free_result(res);
    return out;
}

int SqlConn::socket_fd() const {
    return mysql_ ? static_cast<int>(mysql_get_socket(mysql_)) : -1;
}

}  // namespace sluice::health
