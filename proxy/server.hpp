#pragma once
// The running proxy: its event loop, its listeners and the signals that stop it.

#include <uv.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "proxy/admin_commands.hpp"
#include "proxy/config.hpp"
#include "proxy/listener.hpp"
#include "proxy/runtime.hpp"

namespace sluice::proxy {

class AccountStore;
class AdminConsole;
class Worker;
}  // namespace sluice::proxy
namespace sluice::health {
class Monitor;
}
namespace sluice::proxy {

class Server {
  public:
    explicit Server(Config config);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Listens and serves until SIGTERM/SIGINT. Returns the process exit code: 0 after a clean stop,
    // 1 when it could not start (a port already taken, say).
    int run();

  private:
    static void on_signal(uv_signal_t* h, int signum);
    void shutdown(const char* why);
    std::optional<std::string> start_workers();
    void on_admin(uv_stream_t* server);
    // The admin console and what its commands can reach (server_admin.cpp).
    void start_admin();
    admin::ReloadOutcome reload_config();
    std::optional<std::string> add_backends(const std::vector<health::BackendSpec>& specs,
                                            std::uint32_t max_connections);
    void set_paused(bool paused);
    std::vector<PoolRow> pool_rows() const;
    std::vector<DigestRow> digest_rows(std::size_t limit) const;
    static void on_admin_shutdown(uv_timer_t* h);

    Config config_;
    uv_loop_t loop_{};
    Listener admin_listener_;
    UnixSocket client_socket_;  // listen.socket; the workers listen on dups of it
    std::unique_ptr<AccountStore> accounts_;
    std::unique_ptr<health::Monitor> monitor_;
    std::unique_ptr<Runtime> runtime_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::unique_ptr<AdminConsole> admin_;  // after workers_: its operations may read their counters
    uv_signal_t sigterm_{};
    uv_signal_t sigint_{};
    uv_timer_t admin_shutdown_{};
    std::mutex reload_mu_;  // SHUTDOWN from the admin console, once its OK is on its way
    bool stopping_ = false;
};

}  // namespace sluice::proxy
