#include "proxy/listener.hpp"

#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "proxy/log.hpp"

namespace sluice::proxy {

Listener::Listener(uv_loop_t* loop, std::string name, OnConnection on_connection)
    : loop_(loop), name_(std::move(name)), on_connection_(std::move(on_connection)) {}

std::optional<std::string> Listener::start(const ListenerConfig& where, int backlog, bool reuse_port) {
    sockaddr_storage addr{};
    int rc = uv_ip4_addr(where.address.c_str(), where.port, reinterpret_cast<sockaddr_in*>(&addr));
    if (rc != 0) rc = uv_ip6_addr(where.address.c_str(), where.port, reinterpret_cast<sockaddr_in6*>(&addr));
    if (rc != 0) return fmt::format("{} listener: '{}' is not an IP address", name_, where.address);

    uv_tcp_init(loop_, &tcp_);
    tcp_.data = this;
    open_ = true;
    if (reuse_port) {
        // libuv 1.44 has no UV_TCP_REUSEPORT: make the socket ourselves and hand it over.
        int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
            setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0 || uv_tcp_open(&tcp_, fd) != 0) {
            if (fd >= 0) ::close(fd);
            close();
            return fmt::format("{} listener: cannot set up a socket: {}", name_, std::strerror(errno));
        }
    }
    rc = uv_tcp_bind(&tcp_, reinterpret_cast<const sockaddr*>(&addr), 0);
    if (rc == 0) rc = uv_listen(reinterpret_cast<uv_stream_t*>(&tcp_), backlog, &Listener::on_connection);
    if (rc != 0) {
        close();
        return fmt::format("{} listener: cannot listen on {}:{}: {}", name_, where.address, where.port,
                           uv_strerror(rc));
    }
    return std::nullopt;
}

std::optional<std::string> check_port_free(const ListenerConfig& where) {
    sockaddr_storage addr{};
    if (uv_ip4_addr(where.address.c_str(), where.port, reinterpret_cast<sockaddr_in*>(&addr)) != 0 &&
        uv_ip6_addr(where.address.c_str(), where.port, reinterpret_cast<sockaddr_in6*>(&addr)) != 0)
        return fmt::format("'{}' is not an IP address", where.address);
    int probe = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe < 0) return std::string(std::strerror(errno));
    int one = 1;
    setsockopt(probe, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    socklen_t len = addr.ss_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    int bound = bind(probe, reinterpret_cast<const sockaddr*>(&addr), len);
    int err = errno;
    ::close(probe);
    if (bound == 0) return std::nullopt;
    return fmt::format("cannot listen on {}:{}: {}", where.address, where.port,
                       uv_strerror(uv_translate_sys_error(err)));
}

void Listener::close() {
    if (!open_) return;
    open_ = false;
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), nullptr);
}

void Listener::on_connection(uv_stream_t* server, int status) {
    auto* self = static_cast<Listener*>(server->data);
    if (status < 0) {
        // EMFILE and friends: the connection stays in the backlog; say so rather than spin silently.
        log(Component::proxy).error("{} listener: accept failed: {}", self->name_, uv_strerror(status));
        return;
    }
    self->on_connection_(server);
}

}  // namespace sluice::proxy
