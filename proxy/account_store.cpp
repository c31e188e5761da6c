#include "proxy/account_store.hpp"

#include <mysql.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <variant>

namespace sluice::proxy {

namespace {

std::shared_ptr<spdlog::logger> logger() {
    auto l = spdlog::get("proxy");
    return l ? l : spdlog::default_logger();
}

struct MysqlCloser {
    void operator()(MYSQL* m) const { mysql_close(m); }
};
using MysqlPtr = std::unique_ptr<MYSQL, MysqlCloser>;

struct ResultFree {
    void operator()(MYSQL_RES* r) const { mysql_free_result(r); }
};
using ResultPtr = std::unique_ptr<MYSQL_RES, ResultFree>;

std::string mysql_failure(MYSQL* m) {
    return std::string(mysql_error(m)) + " (" + std::to_string(mysql_errno(m)) + ")";
}

// Connector/C takes whole seconds; round up so that a 500ms setting does not become "no timeout".
unsigned int whole_seconds(std::chrono::milliseconds ms) {
    auto s = (ms.count() + 999) / 1000;
    return static_cast<unsigned int>(std::max<long long>(s, 1));
}

std::variant<MysqlPtr, std::string> connect_monitor(const health::BackendSpec& b,
                                                    const health::MonitorSettings& m) {
    MysqlPtr conn(mysql_init(nullptr));
    if (!conn) return std::string("out of memory");
    unsigned int connect_s = whole_seconds(m.connect_timeout), read_s = whole_seconds(m.read_timeout),
                 write_s = whole_seconds(m.write_timeout);
    // A frozen server accepts TCP connections but never answers: every step needs its own timeout.
    mysql_optionsv(conn.get(), MYSQL_OPT_CONNECT_TIMEOUT, &connect_s);
    mysql_optionsv(conn.get(), MYSQL_OPT_READ_TIMEOUT, &read_s);
    mysql_optionsv(conn.get(), MYSQL_OPT_WRITE_TIMEOUT, &write_s);
    // TCP even for "localhost", which Connector/C would otherwise take for a socket.
    unsigned int tcp = MYSQL_PROTOCOL_TCP;
    mysql_optionsv(conn.get(), MYSQL_OPT_PROTOCOL, &tcp);
    mysql_optionsv(conn.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
    if (!mysql_real_connect(conn.get(), b.host.c_str(), m.user.c_str(), m.password.c_str(), nullptr, b.port,
                            nullptr, 0))
        return "cannot connect as '" + m.user + "': " + mysql_failure(conn.get());
    return conn;
}

std::variant<ResultPtr, std::string> run_query(MYSQL* m, const char* sql) {
    if (mysql_query(m, sql) != 0) return mysql_failure(m);
    ResultPtr res(mysql_store_result(m));
    if (!res) return mysql_errno(m) != 0 ? mysql_failure(m) : std::string("the statement returned no rows");
    return res;
}

std::variant<bool, std::string> is_read_only(MYSQL* m) {
    auto res = run_query(m, "SELECT @@read_only");
    if (auto* err = std::get_if<std::string>(&res)) return "SELECT @@read_only failed: " + *err;
    MYSQL_ROW row = mysql_fetch_row(std::get<ResultPtr>(res).get());
    if (!row || !row[0]) return std::string("SELECT @@read_only returned nothing");
    return std::string_view(row[0]) != "0";
}

// Priv's JSON taken apart by the server (10.6+: JSON_TABLE), one row per auth_or element (one row with NULL
// auth_or columns when there is none), grouped by account through the ORDER BY.
constexpr const char* kAccountsQuery =
    "SELECT g.User, g.Host, JSON_VALUE(g.Priv, '$.is_role'), JSON_VALUE(g.Priv, '$.account_locked'), "
    "JSON_VALUE(g.Priv, '$.password_last_changed'), JSON_VALUE(g.Priv, '$.plugin'), "
    "JSON_VALUE(g.Priv, '$.authentication_string'), a.n, a.plugin, a.auth "
    "FROM mysql.global_priv g LEFT JOIN JSON_TABLE(g.Priv, '$.auth_or[*]' COLUMNS ("
    "n FOR ORDINALITY, plugin VARCHAR(64) PATH '$.plugin', auth TEXT PATH '$.authentication_string')) a "
    "ON TRUE ORDER BY g.User, g.Host, a.n";

enum Column : unsigned {
    kUser,
    kHost,
    kIsRole,
    kLocked,
    kPasswordLastChanged,
    kPlugin,
    kAuthString,
    kAuthOrIndex,
    kAuthOrPlugin,
    kAuthOrAuthString,
    kColumns
};

std::optional<std::string> field(MYSQL_ROW row, const unsigned long* lengths, Column c) {
    if (!row[c]) return std::nullopt;
    return std::string(row[c], lengths[c]);
}

bool json_true(const std::optional<std::string>& v) {
    return v && (*v == "1" || *v == "true");
}

std::optional<std::int64_t> to_int(const std::optional<std::string>& v) {
    if (!v) return std::nullopt;
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || end != v->data() + v->size()) return std::nullopt;
    return out;
}

GlobalPrivRow row_from(MYSQL_ROW row, const unsigned long* lengths) {
    GlobalPrivRow r;
    r.user = field(row, lengths, kUser).value_or("");
    r.host = field(row, lengths, kHost).value_or("");
    r.is_role = json_true(field(row, lengths, kIsRole));
    r.account_locked = json_true(field(row, lengths, kLocked));
    r.password_last_changed = to_int(field(row, lengths, kPasswordLastChanged));
    r.plugin = field(row, lengths, kPlugin);
    r.authentication_string = field(row, lengths, kAuthString);
    return r;
}

std::variant<std::vector<GlobalPrivRow>, std::string> read_global_priv(MYSQL* m) {
    auto res = run_query(m, kAccountsQuery);
    if (auto* err = std::get_if<std::string>(&res)) return "reading mysql.global_priv failed: " + *err;
    MYSQL_RES* result = std::get<ResultPtr>(res).get();
    if (mysql_num_fields(result) != kColumns)
        return std::string("reading mysql.global_priv: unexpected columns");
    std::vector<GlobalPrivRow> rows;
    while (MYSQL_ROW row = mysql_fetch_row(result)) {
        const unsigned long* lengths = mysql_fetch_lengths(result);
        GlobalPrivRow r = row_from(row, lengths);
        if (rows.empty() || rows.back().user != r.user || rows.back().host != r.host)
            rows.push_back(std::move(r));
        if (row[kAuthOrIndex])
            rows.back().auth_or.push_back(
                {field(row, lengths, kAuthOrPlugin), field(row, lengths, kAuthOrAuthString)});
    }
    if (mysql_errno(m) != 0) return "reading mysql.global_priv failed: " + mysql_failure(m);
    return rows;
}

struct Fetched {
    std::string backend;
    std::vector<GlobalPrivRow> rows;
};

std::optional<Fetched> read_from(const health::BackendSpec& b, MYSQL* m) {
    auto rows = read_global_priv(m);
    if (auto* err = std::get_if<std::string>(&rows)) {
        logger()->warn("backend={}: {}", b.name, *err);
        return std::nullopt;
    }
    return Fetched{b.name, std::move(std::get<std::vector<GlobalPrivRow>>(rows))};
}

// The first writable backend that answers, else the first read-only one that did.
std::optional<Fetched> fetch_rows(const std::vector<health::BackendSpec>& backends,
                                  const health::MonitorSettings& monitor) {
    MysqlPtr fallback;
    const health::BackendSpec* fallback_spec = nullptr;
    for (const auto& b : backends) {
        auto conn = connect_monitor(b, monitor);
        if (auto* err = std::get_if<std::string>(&conn)) {
            logger()->warn("backend={}: cannot read accounts: {}", b.name, *err);
            continue;
        }
        MysqlPtr m = std::move(std::get<MysqlPtr>(conn));
        auto ro = is_read_only(m.get());
        if (auto* err = std::get_if<std::string>(&ro)) {
            logger()->warn("backend={}: cannot read accounts: {}", b.name, *err);
            continue;
        }
        if (!std::get<bool>(ro)) {
            if (auto f = read_from(b, m.get())) return f;
        } else if (!fallback) {
            fallback = std::move(m);
            fallback_spec = &b;
        }
    }
    if (!fallback) return std::nullopt;
    logger()->info("backend={}: no writable backend answered; reading accounts from this read-only one",
                   fallback_spec->name);
    return read_from(*fallback_spec, fallback.get());
}

}  // namespace

AccountStore::AccountStore(const UsersConfig& users, std::vector<health::BackendSpec> backends,
                           const health::MonitorSettings& monitor)
    : users_(users), backends_(std::move(backends)), monitor_(monitor) {
    // Connector/C's global set-up, once and before any thread uses it.
    mysql_library_init(0, nullptr, nullptr);
    for (const auto& u : users_.list) config_accounts_.push_back(config_account(u));
    table_.store(std::make_shared<const AccountTable>(config_accounts_, 1));
}

AccountStore::~AccountStore() {
    {
        std::lock_guard lk(mu_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void AccountStore::start() {
    if (thread_.joinable()) return;
    if (users_.fetch_from_backends) read_backends();
    thread_ = std::thread(&AccountStore::run, this);
}

std::shared_ptr<const AccountTable> AccountStore::current() const {
    return table_.load();
}

void AccountStore::request_refresh() {
    {
        std::lock_guard lk(mu_);
        requested_ = true;
    }
    wake_.notify_one();
}

void AccountStore::add_listener(std::function<void()> on_refreshed) {
    std::lock_guard lk(mu_);
    listeners_.push_back(std::move(on_refreshed));
}

void AccountStore::set_config_users(const std::vector<UserConfig>& users) {
    std::vector<Account> accounts;
    for (const auto& u : users) accounts.push_back(config_account(u));
    {
        std::lock_guard lk(mu_);
        config_accounts_ = accounts;
    }
    if (users_.fetch_from_backends) {
        request_refresh();
        return;
    }
    auto previous = table_.load();
    table_.store(std::make_shared<const AccountTable>(std::move(accounts), previous->version() + 1));
    notify_listeners();
}

AccountStore::Stats AccountStore::stats() const {
    std::lock_guard lk(mu_);
    return stats_;
}

void AccountStore::run() {
    pthread_setname_np(pthread_self(), "sluice-accounts");
    mysql_thread_init();
    std::unique_lock lk(mu_);
    while (true) {
        wake_.wait(lk, [this] { return stopping_ || requested_; });
        if (stopping_) break;
        requested_ = false;
        lk.unlock();
        refresh_or_skip();
        lk.lock();
    }
    lk.unlock();
    mysql_thread_end();
}

void AccountStore::refresh_or_skip() {
    if (users_.fetch_from_backends) {
        // Rate limit: a request inside refresh_min_interval of the last read waits for the interval to end
        // (requests arriving meanwhile are served by the same read), rather than being dropped: the login
        // that asked must see an account created a moment ago.
        std::unique_lock lk(mu_);
        if (last_read_) {
            auto due = *last_read_ + users_.refresh_min_interval;
            if (std::chrono::steady_clock::now() < due) {
                ++stats_.skipped;
                wake_.wait_until(lk, due, [this] { return stopping_; });
                if (stopping_) return;
            }
        }
        requested_ = false;
        lk.unlock();
        read_backends();
    }
    notify_listeners();
}

void AccountStore::read_backends() {
    {
        std::lock_guard lk(mu_);
        last_read_ = std::chrono::steady_clock::now();
        ++stats_.reads;
    }
    auto previous = table_.load();
    auto fetched = fetch_rows(backends_, monitor_);
    if (!fetched) {
        {
            std::lock_guard lk(mu_);
            ++stats_.failed_reads;
        }
        logger()->error(
            "cannot read accounts: none of the {} backends answered; keeping accounts version {} "
            "({} accounts)",
            backends_.size(), previous->version(), previous->size());
        return;
    }
    std::vector<Account> accounts;
    {
        std::lock_guard lk(mu_);  // RELOAD CONFIG may replace them
        accounts = config_accounts_;
    }
    std::size_t configured = accounts.size();
    std::size_t unsupported = 0, locked = 0, roles = 0;
    for (const auto& row : fetched->rows) {
        RowAccount r = account_from_row(row);
        if (!r.account) {
            ++roles;
            continue;
        }
        if (!r.warning.empty())
            logger()->warn("backend={}: account {}: {}", fetched->backend, account_name(*r.account),
                           r.warning);
        if (r.account->plugin == AuthPlugin::unsupported) ++unsupported;
        if (r.account->locked) ++locked;
        accounts.push_back(std::move(*r.account));
    }
    std::size_t fetched_count = accounts.size() - configured;
    auto table = std::make_shared<const AccountTable>(std::move(accounts), previous->version() + 1);
    table_.store(table);
    {
        std::lock_guard lk(mu_);
        stats_.source = fetched->backend;
    }
    logger()->info(
        "backend={}: read {} accounts (unsupported plugin: {}, locked: {}; roles skipped: {}) and {} "
        "from the config; accounts version {}",
        fetched->backend, fetched_count, unsupported, locked, roles, configured, table->version());
}

void AccountStore::notify_listeners() {
    std::vector<std::function<void()>> listeners;
    {
        std::lock_guard lk(mu_);
        listeners = listeners_;
    }
    for (const auto& l : listeners) l();
}

}  // namespace sluice::proxy
