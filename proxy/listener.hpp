#pragma once
// A listening TCP socket on a loop. Owns its uv_tcp_t; never moves (handle.data points at it); close() is
// idempotent and the object must outlive the loop's run (the close callback touches nothing of it after).

#include <uv.h>

#include <functional>
#include <optional>
#include <string>

#include "proxy/config.hpp"

namespace sluice::proxy {

class Listener {
  public:
    // Called for each pending connection; it must uv_accept() from `server` (or reject it).
    using OnConnection = std::function<void(uv_stream_t* server)>;

    Listener(uv_loop_t* loop, std::string name, OnConnection on_connection);
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    // Binds and listens; the error says which address and why. With `reuse_port`, several listeners (one per
    // worker) share the address and the kernel spreads connections across them.
    std::optional<std::string> start(const ListenerConfig& where, int backlog = 1024,
                                     bool reuse_port = false);
    void close();
    const std::string& name() const { return name_; }

  private:
    static void on_connection(uv_stream_t* server, int status);

    uv_loop_t* loop_;
    std::string name_;
    OnConnection on_connection_;
    uv_tcp_t tcp_{};
    bool open_ = false;
};

// SO_REUSEPORT listeners would quietly share a port with another process that uses it too (a second sluice):
// a plain bind first tells whether anyone listens there. Call before the workers bind.
std::optional<std::string> check_port_free(const ListenerConfig& where);

}  // namespace sluice::proxy
