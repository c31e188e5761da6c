// Account snapshots: MariaDB's user@host matching and order, config accounts, and how rows of
// mysql.global_priv become accounts. No servers (tests/integration/test_accounts.cpp checks the same order
// against a real one).

#include <doctest/doctest.h>

#include <cctype>

#include "protocol/auth/native_password.hpp"
#include "proxy/accounts.hpp"
#include "proxy/host_match.hpp"

using namespace sluice::proxy;
using sluice::protocol::auth::native_stored_hash;
using sluice::protocol::auth::parse_native_hash;

namespace {

Account fetched(std::string user, std::string host, std::string password = "pw") {
    Account a;
    a.user = std::move(user);
    a.host = std::move(host);
    a.plugin_name = "mysql_native_password";
    if (!password.empty()) a.stored_hash = native_stored_hash(password);
    return a;
}

UserConfig user_cfg(std::string name, std::string password, std::string host = "%") {
    UserConfig u;
    u.name = std::move(name);
    u.password = std::move(password);
    u.host = std::move(host);
    return u;
}

std::string picked(const AccountTable& t, std::string_view user, std::string_view ip) {
    const Account* a = t.match(user, ip);
    if (!a) return "none";
    return account_name(*a) + (a->from_config ? " (config)" : "");
}

}  // namespace

TEST_CASE("host patterns match client addresses as MariaDB does") {
    struct Row {
        const char* pattern;
        const char* ip;
        bool matches;
    };
    const Row rows[] = {
        {"%", "10.1.2.3", true},
        {"%", "::1", true},
        {"", "10.1.2.3", true},  // an empty host is '%'
        {"10.1.2.3", "10.1.2.3", true},
        {"10.1.2.3", "10.1.2.30", false},
        {"10.1.2.%", "10.1.2.30", true},
        {"10.1.2.%", "10.1.2.", true},  // '%' matches nothing too
        {"10.1.2.%", "10.1.20.3", false},
        {"10.1._.3", "10.1.2.3", true},
        {"10.1._.3", "10.1.22.3", false},
        {"10.1.2.3_", "10.1.2.3", false},  // '_' needs exactly one character
        {"10.%.3", "10.1.2.3", true},
        {"%.3", "10.1.2.3", true},
        {"1%3", "10.1.2.3", true},
        {"1%3", "10.1.2.4", false},
        {"%1%2%", "10.1.2.3", true},
        {"%%", "10.1.2.3", true},
        {"10.1.2.3%", "10.1.2.3", true},
        // '\' makes the next character literal
        {"10.1.2.\\%", "10.1.2.%", true},
        {"10.1.2.\\%", "10.1.2.3", false},
        {"10\\_1", "10_1", true},
        {"10\\_1", "10x1", false},
        {"a\\", "a\\", true},  // a trailing '\' is itself
        // case-insensitive
        {"FE80::%", "fe80::1", true},
        {"fe80::1", "FE80::1", true},
        // ip/netmask, IPv4 only
        {"192.168.0.0/255.255.255.0", "192.168.0.77", true},
        {"192.168.0.0/255.255.255.0", "192.168.1.77", false},
        {"192.168.0.0/255.255.0.0", "192.168.5.1", true},
        {"192.168.0.1/255.255.255.0", "192.168.0.1", false},  // host bits set: MariaDB never matches it
        {"0.0.0.0/0.0.0.0", "1.2.3.4", false},                // a zero mask is not a netmask
        {"192.168.0.0/255.255.255.0", "::1", false},
        {"192.168.0.0/255.255.255.0", "192.168.0.0/255.255.255.0", true},  // as text, like MariaDB
        // Sluice's clients are TCP and addresses are not resolved: 'localhost' and names never match
        {"localhost", "127.0.0.1", false},
        {"localhost", "::1", false},
        {"127.0.0.1", "127.0.0.1", true},
        {"::1", "::1", true},
        {"::1", "127.0.0.1", false},
        {"%.example.com", "10.0.0.1", false},
    };
    for (const auto& r : rows) {
        CAPTURE(r.pattern);
        CAPTURE(r.ip);
        CHECK(HostPattern(r.pattern).matches(r.ip) == r.matches);
    }
}

TEST_CASE("client addresses: IPv4-mapped IPv6 is taken as IPv4; IPv4 is read as MariaDB reads it") {
    CHECK(normalize_client_ip("::ffff:10.1.2.3") == "10.1.2.3");
    CHECK(normalize_client_ip("::FFFF:10.1.2.3") == "10.1.2.3");
    CHECK(normalize_client_ip("::ffff:a0a:1") == "::ffff:a0a:1");
    CHECK(normalize_client_ip("::1") == "::1");
    CHECK(normalize_client_ip("10.1.2.3") == "10.1.2.3");
    CHECK(parse_ipv4("1.2.3.4") == 0x01020304u);
    CHECK(parse_ipv4("255.255.255.255") == 0xffffffffu);
    CHECK(parse_ipv4("001.2.3.4") == 0x01020304u);
    CHECK_FALSE(parse_ipv4("1.2.3"));
    CHECK_FALSE(parse_ipv4("1.2.3.256"));
    CHECK_FALSE(parse_ipv4("1.2.3.4.5"));
    CHECK_FALSE(parse_ipv4("1.2..4"));
    CHECK_FALSE(parse_ipv4("1.2.3.4 "));
}

TEST_CASE("host specificity follows MariaDB 10.11 (get_magic_sort), checked against a real server") {
    // Each pair: the first is more specific. The rows marked "server" were checked with CURRENT_USER() on
    // 10.11.19 (and again by tests/integration/test_accounts.cpp).
    struct Row {
        const char* more;
        const char* less;
    };
    const Row rows[] = {
        {"10.0.0.1", "10.0.0._"},
        {"10.0.0._", "10.0.0.%"},
        {"10.0.0.%", "10.0.%"},
        {"10.0.%", "10.%"},
        {"10.%", "%"},
        {"127.0.0.0/255.255.255.0", "127.0.0._"},  // server: a netmask counts as an exact host
        {"127.0.%", "1%.0.1"},                     // server: fewer characters left to the '%'
        {"127%", "%1"},                            // server
        {"127.0.0.1%", "1%"},                      // server
        // At equal shape the earlier first wildcard wins: the reverse of the pre-10.4 get_sort().
        {"1_7.0.0.1", "127.0.0._"},  // server
        {"12_.0.0.1", "127.0.0._"},  // server
        {"10._._.1", "10.0.%"},      // two '_' still match fewer names than a '%'
    };
    for (const auto& r : rows) {
        CAPTURE(r.more);
        CAPTURE(r.less);
        CHECK(HostPattern(r.more).specificity() < HostPattern(r.less).specificity());
    }
    CHECK(HostPattern("10.0.0.1").specificity() == 0);
    CHECK(HostPattern("10.0.0.0/255.0.0.0").specificity() == 0);
    CHECK(HostPattern("").specificity() == HostPattern("%").specificity());
    CHECK(HostPattern("%%").specificity() == HostPattern("%").specificity());  // consecutive '%' are one
    CHECK(HostPattern("10.0.0.\\%").specificity() == 0);                       // an escaped '%' is literal
}

TEST_CASE("match picks MariaDB's account: most specific host, then named before anonymous") {
    AccountTable t(
        {
            fetched("app", "%"),
            fetched("app", "10.0.%"),
            fetched("app", "10.0.0.5"),
            fetched("", "10.0.0.%"),
            fetched("", "%"),
            fetched("ops", "192.168.0.0/255.255.255.0"),
            fetched("ops", "192.168.%"),
            fetched("root", "localhost"),
        },
        7);
    CHECK(t.size() == 8);
    CHECK(t.version() == 7);
    struct Row {
        const char* user;
        const char* ip;
        const char* expected;
    };
    const Row rows[] = {
        {"app", "10.0.0.5", "'app'@'10.0.0.5'"},  // exact host first
        {"app", "10.0.0.6", "''@'10.0.0.%'"},     // a more specific anonymous host beats 'app'@'10.0.%'
        {"app", "10.0.1.6", "'app'@'10.0.%'"},
        {"app", "172.16.0.1", "'app'@'%'"},  // named before anonymous at the same host
        {"app", "::ffff:10.0.0.5", "'app'@'10.0.0.5'"},
        {"nobody", "172.16.0.1", "''@'%'"},
        {"nobody", "10.0.0.9", "''@'10.0.0.%'"},
        {"ops", "192.168.0.3", "'ops'@'192.168.0.0/255.255.255.0'"},
        {"ops", "192.168.1.3", "'ops'@'192.168.%'"},
        {"APP", "10.0.0.5", "''@'10.0.0.%'"},  // user names are case-sensitive
        {"root", "127.0.0.1", "''@'%'"},       // 'localhost' is a socket login on the server
        {"", "10.0.0.5", "''@'10.0.0.%'"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.user);
        CAPTURE(r.ip);
        CHECK(picked(t, r.user, r.ip) == r.expected);
    }
}

TEST_CASE("match: no account, no match; equal specificity is broken by the host string, as MariaDB does") {
    AccountTable empty;
    CHECK(empty.match("app", "10.0.0.1") == nullptr);
    CHECK(empty.size() == 0);

    AccountTable t({fetched("app", "10.0.0.1"), fetched("other", "%")}, 1);
    CHECK(t.match("app", "10.0.0.2") == nullptr);
    CHECK(t.match("", "10.0.0.1") == nullptr);  // an empty user name is not every user

    // Same shape: the earlier wildcard wins.
    AccountTable early({fetched("app", "10.0._.1"), fetched("app", "10._.0.1")}, 1);
    CHECK(picked(early, "app", "10.0.0.1") == "'app'@'10._.0.1'");
    // Same shape and prefix: MariaDB puts the greater string first.
    AccountTable tie2({fetched("app", "10.0.1_"), fetched("app", "10.0.2_")}, 1);
    auto order = tie2.accounts();
    REQUIRE(order.size() == 2);
    CHECK(order[0]->host == "10.0.2_");
}

TEST_CASE("config accounts are checked before fetched ones, whatever their host") {
    UserConfig cfg = user_cfg("app", "secret");
    cfg.backend_user = "svc";
    cfg.backend_password = "x";
    AccountTable t({fetched("app", "10.0.0.5"), fetched("", "10.0.0.5"), config_account(cfg)}, 3);
    const Account* a = t.match("app", "10.0.0.5");
    REQUIRE(a);
    CHECK(a->from_config);
    CHECK(a->host == "%");
    CHECK(a->backend_user == "svc");
    CHECK(a->backend_password == "x");
    CHECK(a->stored_hash == native_stored_hash("secret"));
    CHECK(t.accounts().front()->from_config);
    // Other users still find the fetched ones.
    CHECK(picked(t, "bob", "10.0.0.5") == "''@'10.0.0.5'");
    // Among config accounts, MariaDB's order too.
    UserConfig narrow = user_cfg("app", "n", "10.0.0.%");
    AccountTable t2({config_account(cfg), config_account(narrow)}, 1);
    CHECK(picked(t2, "app", "10.0.0.1") == "'app'@'10.0.0.%' (config)");
    CHECK(picked(t2, "app", "10.1.0.1") == "'app'@'%' (config)");
}

TEST_CASE("config accounts: hash from the password, empty password, backend login defaults") {
    Account a = config_account(user_cfg("app", "app"));
    CHECK(a.plugin == AuthPlugin::native_password);
    CHECK(a.plugin_name == "mysql_native_password");
    CHECK(a.stored_hash == native_stored_hash("app"));
    CHECK(a.backend_user == "app");
    CHECK(a.backend_password == "app");
    CHECK(a.host == "%");
    CHECK_FALSE(a.locked);
    Account none = config_account(user_cfg("guest", ""));
    CHECK_FALSE(none.stored_hash.has_value());
    AccountTable t({none}, 1);
    CHECK(t.match("guest", "10.9.9.9") != nullptr);
}

TEST_CASE("locked and unsupported accounts are returned as such: the proxy refuses them with a reason") {
    Account locked = fetched("old", "%");
    locked.locked = true;
    Account socket = fetched("sock", "%", "");
    socket.plugin = AuthPlugin::unsupported;
    socket.plugin_name = "unix_socket";
    AccountTable t({locked, socket}, 1);
    const Account* l = t.match("old", "10.0.0.1");
    REQUIRE(l);
    CHECK(l->locked);
    const Account* s = t.match("sock", "10.0.0.1");
    REQUIRE(s);
    CHECK(s->plugin == AuthPlugin::unsupported);
    CHECK(s->plugin_name == "unix_socket");
}

namespace {

GlobalPrivRow priv(std::string user, std::string host, std::optional<std::string> plugin,
                   std::optional<std::string> auth) {
    GlobalPrivRow r;
    r.user = std::move(user);
    r.host = std::move(host);
    r.plugin = std::move(plugin);
    r.authentication_string = std::move(auth);
    r.password_last_changed = 1700000000;
    return r;
}

constexpr const char* kAppHash = "*5BCB3E6AC345B435C7C2E6B7949A04CE6F6563D3";  // PASSWORD('app')

}  // namespace

TEST_CASE("global_priv rows: mysql_native_password with a hash or an empty password") {
    RowAccount r = account_from_row(priv("app", "%", "mysql_native_password", kAppHash));
    REQUIRE(r.account);
    CHECK(r.warning.empty());
    CHECK(r.account->plugin == AuthPlugin::native_password);
    CHECK(r.account->plugin_name == "mysql_native_password");
    CHECK(r.account->stored_hash == native_stored_hash("app"));
    CHECK_FALSE(r.account->from_config);
    CHECK_FALSE(r.account->locked);
    CHECK_FALSE(r.account->password_expired);

    RowAccount empty = account_from_row(priv("np", "%", "mysql_native_password", ""));
    REQUIRE(empty.account);
    CHECK(empty.account->plugin == AuthPlugin::native_password);
    CHECK_FALSE(empty.account->stored_hash.has_value());

    // Lower-case hex is the same hash.
    std::string lower = kAppHash;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(account_from_row(priv("app", "%", "mysql_native_password", lower)).account->stored_hash ==
          native_stored_hash("app"));
}

TEST_CASE(
    "global_priv rows: {\"access\": N} alone (root@localhost from mariadb-install-db) is a "
    "password-less native account") {
    GlobalPrivRow r = priv("root", "localhost", std::nullopt, std::nullopt);
    r.password_last_changed.reset();
    RowAccount a = account_from_row(r);
    REQUIRE(a.account);
    CHECK(a.account->plugin == AuthPlugin::native_password);
    CHECK_FALSE(a.account->stored_hash.has_value());
    CHECK_FALSE(a.account->password_expired);
}

TEST_CASE("global_priv rows: other plugins are unsupported; roles are not accounts; flags carried") {
    struct Row {
        const char* plugin;
        const char* auth;
    };
    const Row unsupported[] = {
        {"unix_socket", ""},
        {"ed25519", "ZIgUREUg5PVgQ6LskhXmO+eZLS0nC8be6HPjYWR4YJY"},
        {"mysql_old_password", "7bb8d6e76d9e8bd7"},
        {"caching_sha2_password", "$A$005$xyz"},
        {"gssapi", ""},
    };
    for (const auto& u : unsupported) {
        CAPTURE(u.plugin);
        RowAccount r = account_from_row(priv("x", "%", u.plugin, u.auth));
        REQUIRE(r.account);
        CHECK(r.account->plugin == AuthPlugin::unsupported);
        CHECK(r.account->plugin_name == u.plugin);
        CHECK(r.warning.empty());
    }

    GlobalPrivRow role;
    role.user = "r1";
    role.is_role = true;
    CHECK_FALSE(account_from_row(role).account.has_value());

    GlobalPrivRow lk = priv("lk", "10.0.%", "mysql_native_password", kAppHash);
    lk.account_locked = true;
    CHECK(account_from_row(lk).account->locked);

    GlobalPrivRow ex = priv("ex", "%", "mysql_native_password", kAppHash);
    ex.password_last_changed = 0;  // ALTER USER ... PASSWORD EXPIRE
    CHECK(account_from_row(ex).account->password_expired);

    // Plugin names are compared case-insensitively, as the server does.
    CHECK(account_from_row(priv("x", "%", "MYSQL_NATIVE_PASSWORD", kAppHash)).account->plugin ==
          AuthPlugin::native_password);
}

TEST_CASE("global_priv rows: a native hash that is not *HEX is refused with a warning") {
    RowAccount r = account_from_row(priv("bad", "%", "mysql_native_password", "*XYZ"));
    REQUIRE(r.account);
    CHECK(r.account->plugin == AuthPlugin::unsupported);
    CHECK(r.account->plugin_name == "mysql_native_password");
    CHECK_FALSE(r.warning.empty());
}

TEST_CASE("global_priv rows: IDENTIFIED VIA a OR b (auth_or) as 10.11 stores it") {
    // 10.11 keeps one credential at the top level and writes {} for it in auth_or.
    GlobalPrivRow native_first = priv("orr", "%", "mysql_native_password", kAppHash);
    native_first.auth_or = {{std::nullopt, std::nullopt}, {"unix_socket", std::nullopt}};
    RowAccount a = account_from_row(native_first);
    CHECK(a.account->plugin == AuthPlugin::native_password);
    CHECK(a.account->stored_hash == native_stored_hash("app"));

    // unix_socket fails at once over TCP, so the server goes on to the native credential.
    GlobalPrivRow socket_first = priv("orr2", "%", "mysql_native_password", kAppHash);
    socket_first.auth_or = {{"unix_socket", std::nullopt}, {std::nullopt, std::nullopt}};
    RowAccount b = account_from_row(socket_first);
    CHECK(b.account->plugin == AuthPlugin::native_password);
    CHECK(b.account->stored_hash == native_stored_hash("app"));

    // Another plugin first would need its exchange with the backend: unsupported, with every name.
    GlobalPrivRow ed_first = priv("orr3", "%", "mysql_native_password", kAppHash);
    ed_first.auth_or = {{"ed25519", "ZIgU"}, {std::nullopt, std::nullopt}};
    RowAccount c = account_from_row(ed_first);
    CHECK(c.account->plugin == AuthPlugin::unsupported);
    CHECK(c.account->plugin_name == "ed25519 OR mysql_native_password");

    // An element with its own native credential.
    GlobalPrivRow own = priv("orr4", "%", "unix_socket", "");
    own.auth_or = {{std::nullopt, std::nullopt}, {"mysql_native_password", kAppHash}};
    RowAccount d = account_from_row(own);
    CHECK(d.account->plugin == AuthPlugin::native_password);
    CHECK(d.account->stored_hash == native_stored_hash("app"));
}

TEST_CASE("the stored hash parses the way the server prints it") {
    CHECK(parse_native_hash(kAppHash) == native_stored_hash("app"));
}
