#include "proxy/accounts.hpp"

#include <strings.h>
#include <algorithm>

#include "protocol/auth/native_password.hpp"

namespace sluice::proxy {

namespace auth = protocol::auth;

namespace {

constexpr std::string_view kUnixSocketPlugin = "unix_socket";

bool same_plugin(std::string_view a, std::string_view b) {
    // MariaDB compares plugin names case-insensitively (fix_user_plugin_ptr).
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

struct AuthMethod {
    std::string plugin;
    std::string auth_string;
};

// The credentials in the order the server tries them (User_table_json::get_auth): the top level alone, or
// each auth_or element, where {} means the top level. A missing or empty plugin is mysql_native_password.
std::vector<AuthMethod> auth_methods(const GlobalPrivRow& r) {
    AuthMethod top{r.plugin.value_or(""), r.authentication_string.value_or("")};
    if (top.plugin.empty()) top.plugin = auth::kNativePasswordPlugin;
    if (r.auth_or.empty()) return {top};
    std::vector<AuthMethod> out;
    for (const auto& e : r.auth_or) {
        if (!e.plugin) {
            out.push_back(top);
            continue;
        }
        AuthMethod m{*e.plugin, e.authentication_string.value_or("")};
        if (m.plugin.empty()) m.plugin = auth::kNativePasswordPlugin;
        out.push_back(std::move(m));
    }
    return out;
}

std::string joined_names(const std::vector<AuthMethod>& methods) {
    std::string s;
    for (const auto& m : methods) {
        if (!s.empty()) s += " OR ";
        s += m.plugin;
    }
    return s;
}

// Picks the credential Sluice can check. The server tries the methods in order and moves on when one
// fails; unix_socket fails at once on a TCP connection (Sluice's logins to the backends), so a
// mysql_native_password after it is still reached. Any other plugin first would make the server ask
// Sluice for that plugin's exchange, which it cannot do: such accounts stay unsupported.
void choose_credential(const std::vector<AuthMethod>& methods, Account& a, std::string& warning) {
    a.plugin = AuthPlugin::unsupported;
    a.plugin_name = joined_names(methods);
    for (const auto& m : methods) {
        if (same_plugin(m.plugin, kUnixSocketPlugin)) continue;
        if (!same_plugin(m.plugin, auth::kNativePasswordPlugin)) return;
        if (m.auth_string.empty()) {
            a.stored_hash.reset();
        } else if (auto h = auth::parse_native_hash(m.auth_string)) {
            a.stored_hash = *h;
        } else {
            warning = "its mysql_native_password hash is not '*' and 40 hex digits: logins refused";
            return;
        }
        a.plugin = AuthPlugin::native_password;
        a.plugin_name = auth::kNativePasswordPlugin;
        return;
    }
}

// MariaDB's order (acl_user_compare + find_by_username_or_anon in sql/sql_acl.cpp): the entry with the
// most specific host wins (HostPattern::specificity: an exact address or ip/netmask first, then
// wildcard patterns by how much they match); at equal specificity a named user beats the anonymous
// one; at equal both, the greater host string first (MariaDB's -strcmp, which puts 'localhost' before
// '127.0.0.1'). Note that the host comes first: ''@'127.0.0.1' beats 'app'@'%' for a login from
// 127.0.0.1. Sluice puts config accounts before all fetched ones.
bool search_before(const Account& a, const HostPattern& ha, const Account& b, const HostPattern& hb) {
    if (a.from_config != b.from_config) return a.from_config;
    if (ha.specificity() != hb.specificity()) return ha.specificity() < hb.specificity();
    if (a.user.empty() != b.user.empty()) return !a.user.empty();
    return ha.text() > hb.text();
}

}  // namespace

std::string account_name(const Account& a) {
    return "'" + a.user + "'@'" + a.host + "'";
}

AccountTable::AccountTable(std::vector<Account> accounts, std::uint64_t version) : version_(version) {
    entries_.reserve(accounts.size());
    for (auto& a : accounts) {
        HostPattern host(a.host);
        entries_.push_back({std::move(a), std::move(host)});
    }
    std::stable_sort(entries_.begin(), entries_.end(), [](const Entry& x, const Entry& y) {
        return search_before(x.account, x.host, y.account, y.host);
    });
    for (std::uint32_t i = 0; i < entries_.size(); ++i) {
        const std::string& user = entries_[i].account.user;
        if (user.empty())
            anonymous_.push_back(i);
        else
            by_user_[user].push_back(i);
    }
}

const Account* AccountTable::match(std::string_view user, std::string_view client_ip) const {
    const std::string ip = normalize_client_ip(client_ip);
    static const std::vector<std::uint32_t> kNone;
    const std::vector<std::uint32_t>* named = &kNone;
    if (!user.empty()) {
        if (auto it = by_user_.find(std::string(user)); it != by_user_.end()) named = &it->second;
    }
    // Both lists are in search order: walk them as one merged list and stop at the first match.
    auto n = named->begin();
    auto a = anonymous_.begin();
    while (n != named->end() || a != anonymous_.end()) {
        std::uint32_t next;
        if (a == anonymous_.end() || (n != named->end() && *n < *a))
            next = *n++;
        else
            next = *a++;
        if (entries_[next].host.matches(ip)) return &entries_[next].account;
    }
    return nullptr;
}

std::vector<const Account*> AccountTable::accounts() const {
    std::vector<const Account*> out;
    out.reserve(entries_.size());
    for (const auto& e : entries_) out.push_back(&e.account);
    return out;
}

Account config_account(const UserConfig& u) {
    Account a;
    a.user = u.name;
    a.host = u.host;
    a.plugin = AuthPlugin::native_password;
    a.plugin_name = auth::kNativePasswordPlugin;
    if (!u.password.empty()) a.stored_hash = auth::native_stored_hash(u.password);
    a.from_config = true;
    a.backend_user = u.backend_user.empty() ? u.name : u.backend_user;
    a.backend_password = u.backend_user.empty() ? u.password : u.backend_password;
    return a;
}

RowAccount account_from_row(const GlobalPrivRow& row) {
    RowAccount out;
    if (row.is_role) return out;
    Account a;
    a.user = row.user;
    a.host = row.host;
    a.locked = row.account_locked;
    a.password_expired = row.password_last_changed == 0;
    choose_credential(auth_methods(row), a, out.warning);
    out.account = std::move(a);
    return out;
}

}  // namespace sluice::proxy
