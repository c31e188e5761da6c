#pragma once
// Helpers for the admin console's integration tests: result rows by column name, waiting for a role.

#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/cluster.hpp"

namespace sluice::test {

using NamedRow = std::map<std::string, std::optional<std::string>>;

inline ConnectOptions admin_of(const Sluice& s, std::string user = "admin", std::string password = "admin") {
    return {.port = s.admin_port(), .user = std::move(user), .password = std::move(password)};
}

// Every row of `sql`, by the result's field names.
inline std::vector<NamedRow> rows_of(Conn& c, const std::string& sql) {
    INFO(sql);
    REQUIRE(mysql_query(c.raw(), sql.c_str()) == 0);
    MYSQL_RES* res = mysql_store_result(c.raw());
    REQUIRE(res != nullptr);
    std::vector<NamedRow> out;
    unsigned n = mysql_num_fields(res);
    MYSQL_FIELD* fields = mysql_fetch_fields(res);
    while (MYSQL_ROW row = mysql_fetch_row(res)) {
        NamedRow m;
        for (unsigned i = 0; i < n; ++i)
            m[fields[i].name] = row[i] ? std::optional<std::string>(row[i]) : std::nullopt;
        out.push_back(std::move(m));
    }
    mysql_free_result(res);
    return out;
}

// The column names of `sql`'s result, in order.
inline std::vector<std::string> columns_of(Conn& c, const std::string& sql) {
    REQUIRE(mysql_query(c.raw(), sql.c_str()) == 0);
    MYSQL_RES* res = mysql_store_result(c.raw());
    REQUIRE(res != nullptr);
    std::vector<std::string> out;
    MYSQL_FIELD* fields = mysql_fetch_fields(res);
    for (unsigned i = 0; i < mysql_num_fields(res); ++i) out.emplace_back(fields[i].name);
    mysql_free_result(res);
    return out;
}

// The role SHOW SERVERS gives `name` ("" when not listed).
inline std::string role_of(Conn& admin, const std::string& name) {
    for (auto& r : rows_of(admin, "SHOW SERVERS"))
        if (r["name"] == name) return r["role"].value_or("");
    return "";
}

// SHOW SERVERS until `name` has `role` (the monitor's first checks take a moment after start).
inline bool wait_role(Conn& admin, const std::string& name, const std::string& role) {
    for (int i = 0; i < 100; ++i) {
        if (role_of(admin, name) == role) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

}  // namespace sluice::test
