#pragma once
// The account store: reads client accounts from the backends with the monitor account (Connector/C, which
// blocks, so on a thread of its own), adds the config accounts, and publishes immutable AccountTable
// snapshots that any thread can take cheaply. A login naming an unknown user asks for a re-read, at most
// once per users.refresh_min_interval; listeners hear when the answer is in.
//
// Reading: the first backend that answers and is writable (@@read_only = 0: the primary has the truth),
// else the first that answered at all. A read that fails everywhere keeps the previous snapshot.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "health/backend_spec.hpp"
#include "proxy/accounts.hpp"
#include "proxy/config.hpp"

namespace sluice::proxy {

class AccountStore {  // thread-safe; owns a refresh thread
  public:
    struct Stats {
        std::uint64_t reads = 0;         // reads of the backends attempted, the first one included
        std::uint64_t failed_reads = 0;  // of those, reads where no backend answered
        std::uint64_t skipped = 0;       // refresh requests that had to wait for the rate limit
        std::string source;              // the backend the current accounts come from ("" = none yet)
    };

    AccountStore(const UsersConfig& users, std::vector<health::BackendSpec> backends,
                 const health::MonitorSettings& monitor);
    ~AccountStore();  // stops the thread (after a read in progress: bounded by the monitor timeouts)
    AccountStore(const AccountStore&) = delete;
    AccountStore& operator=(const AccountStore&) = delete;

    // Reads the backends once, synchronously, when users.fetch_from_backends (logs, does not throw, if no
    // backend answers), then starts the refresh thread. Before start(), current() has the config accounts.
    void start();

    // Cheap, callable from any thread; never null.
    std::shared_ptr<const AccountTable> current() const;

    // Asks for a re-read (a login named a user that is not there) and returns at once. Rate-limited by
    // users.refresh_min_interval, counted from the start of the previous read: a request inside it waits for
    // the interval to end (and shares that read with the requests that came meanwhile). When the read
    // finishes, every listener is called on the refresh thread: keep them cheap.
    void request_refresh();
    void add_listener(std::function<void()> on_refreshed);
    // RELOAD CONFIG: the config's accounts change; they are in the next table (at once when accounts are not
    // read from the backends, else with the re-read this asks for).
    void set_config_users(const std::vector<UserConfig>& users);

    Stats stats() const;

  private:
    void run();
    void refresh_or_skip();
    void read_backends();
    void notify_listeners();

    const UsersConfig users_;
    const std::vector<health::BackendSpec> backends_;
    const health::MonitorSettings monitor_;
    std::vector<Account> config_accounts_;

    std::atomic<std::shared_ptr<const AccountTable>> table_;

    mutable std::mutex mu_;  // guards everything below
    std::condition_variable wake_;
    bool requested_ = false;
    bool stopping_ = false;
    std::optional<std::chrono::steady_clock::time_point> last_read_;
    Stats stats_;
    std::vector<std::function<void()>> listeners_;

    std::thread thread_;
};

}  // namespace sluice::proxy
