#pragma once
// Who may log in through Sluice, and how: client accounts read from the backends (mysql.global_priv) and
// declared in the config, in immutable, versioned snapshots. Pure: no I/O, no logging (account_store.hpp
// reads the backends and publishes the snapshots).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/auth/digest.hpp"
#include "proxy/config.hpp"
#include "proxy/host_match.hpp"

namespace sluice::proxy {

// What the stored credential allows Sluice to do.
enum class AuthPlugin : std::uint8_t { native_password, unsupported };

struct Account {
    std::string user;  // "" = anonymous
    std::string host;  // the pattern as stored ("%", "10.0.%", "192.168.0.0/255.255.255.0", ...)
    AuthPlugin plugin = AuthPlugin::native_password;
    std::string plugin_name;  // for messages: "mysql_native_password", "ed25519", "unix_socket OR ed25519"
    std::optional<protocol::auth::Sha1Digest> stored_hash;  // SHA1(SHA1(password)); nullopt = empty password
    bool locked = false;                                    // account_locked in global_priv
    bool password_expired = false;  // ALTER USER ... PASSWORD EXPIRE; lifetimes are left to the backend
    bool from_config = false;
    // For config accounts only: how Sluice logs in to the backends for this client.
    std::string backend_user, backend_password;
};

// "'user'@'host'", for log lines and error messages.
std::string account_name(const Account& a);

class AccountTable {  // immutable once built
  public:
    AccountTable() = default;
    // Orders `accounts` as match() searches them: config accounts first, then MariaDB's order.
    AccountTable(std::vector<Account> accounts, std::uint64_t version);

    // The account MariaDB would pick for this login: among the entries whose user equals `user` (or is
    // anonymous) and whose host pattern matches the client address, the most specific one, in MariaDB's
    // order. Config accounts are checked before fetched ones. nullptr when none matches.
    const Account* match(std::string_view user, std::string_view client_ip) const;

    std::size_t size() const { return entries_.size(); }
    std::uint64_t version() const { return version_; }
    // Every account, in the order match() tries them.
    std::vector<const Account*> accounts() const;

  private:
    struct Entry {
        Account account;
        HostPattern host;
    };

    std::vector<Entry> entries_;  // in search order
    // Positions in entries_, ascending (= search order), of each named user and of the anonymous entries.
    std::unordered_map<std::string, std::vector<std::uint32_t>> by_user_;
    std::vector<std::uint32_t> anonymous_;
    std::uint64_t version_ = 0;
};

// A config account: the stored hash computed from the plain password; how to log in to the backends from
// backend_user/backend_password (the client's own name and password when backend_user is empty).
Account config_account(const UserConfig& u);

// One row of mysql.global_priv, its Priv JSON already taken apart by the server (JSON_VALUE / JSON_TABLE).
// Absent JSON keys are nullopt: 10.11 writes `{"access": N}` alone for root@localhost from
// mariadb-install-db.
struct GlobalPrivRow {
    // One element of Priv.auth_or (IDENTIFIED VIA a OR b ...). An element without "plugin" ({}) stands for
    // the top-level plugin and authentication_string.
    struct AuthOr {
        std::optional<std::string> plugin;
        std::optional<std::string> authentication_string;
    };
    std::string user;
    std::string host;
    bool is_role = false;
    bool account_locked = false;
    std::optional<std::int64_t> password_last_changed;  // 0 = expired on purpose
    std::optional<std::string> plugin;
    std::optional<std::string> authentication_string;
    std::vector<AuthOr> auth_or;  // empty = the top-level credential alone
};

struct RowAccount {
    std::optional<Account> account;  // nullopt for roles, which are not accounts
    std::string warning;             // something an operator should know ("malformed hash"), or ""
};

RowAccount account_from_row(const GlobalPrivRow& row);

}  // namespace sluice::proxy
