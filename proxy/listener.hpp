#pragma once
// A listening socket on a loop: a TCP address or a Unix domain socket. Owns its libuv handle; never moves
// (handle.data points at it); close() is idempotent and the object must outlive the loop's run (the close
// callback touches nothing of it after).

#include <uv.h>

#include <functional>
#include <optional>
#include <string>

#include "proxy/config.hpp"
#include "proxy/stream_handle.hpp"

namespace sluice::proxy {

class Listener {
  public:
    // Called for each pending connection; it must uv_accept() from `server` (or reject it). `server->type`
    // says which handle the accepted client needs: UV_TCP or UV_NAMED_PIPE.
    using OnConnection = std::function<void(uv_stream_t* server)>;

    Listener(uv_loop_t* loop, std::string name, OnConnection on_connection);
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    // Binds and listens; the error says which address and why. With `reuse_port`, several listeners (one per
    // worker) share the address and the kernel spreads connections across them.
    std::optional<std::string> start(const ListenerConfig& where, int backlog = 1024,
                                     bool reuse_port = false);
    // Listens on a Unix socket that is already bound and listening (UnixSocket below): `fd` is this
    // listener's own descriptor (a dup), which it owns from now on, even on failure.
    std::optional<std::string> adopt_unix(int fd, const std::string& path, int backlog = 1024);
    void close();
    const std::string& name() const { return name_; }

  private:
    static void on_connection(uv_stream_t* server, int status);

    uv_loop_t* loop_;
    std::string name_;
    OnConnection on_connection_;
    StreamHandle h_{};
    bool open_ = false;
};

// SO_REUSEPORT listeners would quietly share a port with another process that uses it too (a second sluice):
// a plain bind first tells whether anyone listens there. Call before the workers bind.
std::optional<std::string> check_port_free(const ListenerConfig& where);

// The client listener's Unix domain socket file: bound and listening once, for every worker to listen on
// through its own dup() of the descriptor (the kernel hands each connection to one of them). A socket file
// left by a process that is gone (connect() is refused) is replaced; one that accepts connections (another
// sluice, a mysqld), one that cannot be probed (EACCES) or a path that is not a socket is an error. The file
// is removed by the destructor if it is still the one this object made. Mode 0777, as MariaDB's own socket:
// the login decides who gets in.
class UnixSocket {
  public:
    UnixSocket() = default;
    UnixSocket(const UnixSocket&) = delete;
    UnixSocket& operator=(const UnixSocket&) = delete;
    ~UnixSocket();

    std::optional<std::string> open(const std::string& path, int backlog = 1024);
    // Closes this descriptor (the listeners' dups keep listening until they close) and removes the file:
    // new clients are turned away at once. Idempotent; the destructor calls it.
    void close();
    int fd() const { return fd_; }
    const std::string& path() const { return path_; }

  private:
    int fd_ = -1;
    std::string path_;
    dev_t dev_ = 0;
    ino_t ino_ = 0;
};

}  // namespace sluice::proxy
