#include "proxy/listener.hpp"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
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

    h_.init(loop_, UV_TCP, this);
    open_ = true;
    if (reuse_port) {
        // libuv 1.44 has no UV_TCP_REUSEPORT: make the socket ourselves and hand it over.
        int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
            setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0 ||
            uv_tcp_open(&h_.tcp, fd) != 0) {
            if (fd >= 0) ::close(fd);
            close();
            return fmt::format("{} listener: cannot set up a socket: {}", name_, std::strerror(errno));
        }
    }
    rc = uv_tcp_bind(&h_.tcp, reinterpret_cast<const sockaddr*>(&addr), 0);
    if (rc == 0) rc = uv_listen(h_.stream(), backlog, &Listener::on_connection);
    if (rc != 0) {
        close();
        return fmt::format("{} listener: cannot listen on {}:{}: {}", name_, where.address, where.port,
                           uv_strerror(rc));
    }
    return std::nullopt;
}

std::optional<std::string> Listener::adopt_unix(int fd, const std::string& path, int backlog) {
    h_.init(loop_, UV_NAMED_PIPE, this);
    open_ = true;
    int rc = uv_pipe_open(&h_.pipe, fd);
    if (rc != 0) {
        ::close(fd);
    } else {
        rc = uv_listen(h_.stream(), backlog, &Listener::on_connection);
    }
    if (rc != 0) {
        close();
        return fmt::format("{} listener: cannot listen on {}: {}", name_, path, uv_strerror(rc));
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
    uv_close(h_.handle(), nullptr);
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

namespace {

std::string sys_error(int err) {
    return uv_strerror(uv_translate_sys_error(err));
}

// 0 when nothing listens on the socket file at `addr` (a leftover: connect() says ECONNREFUSED), else the
// errno of why it cannot be taken over: EADDRINUSE when a server accepts there, anything else (EACCES: a
// socket we may not even probe) as it came.
int why_not_stale(const sockaddr_un& addr) {
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe < 0) return errno;
    int rc = connect(probe, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    int err = rc == 0 ? EADDRINUSE : errno;
    ::close(probe);
    return err == ECONNREFUSED ? 0 : err;
}

}  // namespace

std::optional<std::string> UnixSocket::open(const std::string& path, int backlog) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof addr.sun_path)
        return fmt::format("'{}': bad socket path", path);
    path.copy(addr.sun_path, path.size());

    struct stat st {};
    if (lstat(path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            return fmt::format("{} exists and is not a socket: not replacing it", path);
        if (int err = why_not_stale(addr); err == EADDRINUSE)
            return fmt::format("{} is in use: another server accepts connections on it", path);
        else if (err != 0)
            return fmt::format("{} exists and cannot be checked ({}): not replacing it", path,
                               sys_error(err));
        if (unlink(path.c_str()) != 0)
            return fmt::format("cannot remove the stale socket {}: {}", path, sys_error(errno));
        log(Component::proxy).info("removed the stale socket file {} (nothing listened on it)", path);
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fmt::format("cannot make a Unix socket: {}", sys_error(errno));
    if (bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        int err = errno;
        ::close(fd);
        return fmt::format("cannot bind {}: {}", path, sys_error(err));
    }
    if (chmod(path.c_str(), 0777) != 0 || listen(fd, backlog) != 0 || lstat(path.c_str(), &st) != 0) {
        int err = errno;
        ::close(fd);
        unlink(path.c_str());
        return fmt::format("cannot listen on {}: {}", path, sys_error(err));
    }
    fd_ = fd;
    path_ = path;
    dev_ = st.st_dev;
    ino_ = st.st_ino;
    return std::nullopt;
}

UnixSocket::~UnixSocket() {
    close();
}

void UnixSocket::close() {
    if (fd_ < 0) return;
    ::close(fd_);
    fd_ = -1;
    // Only our own file: a newer process may have replaced it after we were stopped.
    struct stat st {};
    if (lstat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_) unlink(path_.c_str());
}

}  // namespace sluice::proxy
