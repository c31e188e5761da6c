#pragma once
// The running proxy: its event loop, its listeners and the signals that stop it.

#include <uv.h>

#include <optional>
#include <string>

#include "proxy/config.hpp"
#include "proxy/listener.hpp"

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
    void on_client(uv_stream_t* server);
    void on_admin(uv_stream_t* server);

    Config config_;
    uv_loop_t loop_{};
    Listener client_listener_;
    Listener admin_listener_;
    uv_signal_t sigterm_{};
    uv_signal_t sigint_{};
    bool stopping_ = false;
};

}  // namespace sluice::proxy
