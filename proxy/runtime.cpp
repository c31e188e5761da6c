#include "proxy/runtime.hpp"

#include <fmt/format.h>
#include <netdb.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "protocol/byte_reader.hpp"
#include "protocol/handshake.hpp"
#include "protocol/packet.hpp"
#include "proxy/log.hpp"

namespace sluice::proxy {

std::vector<SessionInfo> SessionRegistry::list() const {
    std::vector<std::shared_ptr<SessionActivity>> cells;
    {
        std::lock_guard lock(mu_);
        cells.reserve(map_.size());
        for (const auto& [id, e] : map_) cells.push_back(e.activity);
    }
    std::vector<SessionInfo> out;
    out.reserve(cells.size());
    for (const auto& c : cells) out.push_back(c->read());
    std::sort(out.begin(), out.end(), [](const SessionInfo& a, const SessionInfo& b) { return a.id < b.id; });
    return out;
}

std::optional<std::string> resolve_backends(const std::vector<health::BackendSpec>& specs,
                                            std::vector<BackendAddress>& out) {
    for (const auto& spec : specs) {
        addrinfo hints{};
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* res = nullptr;
        std::string port = std::to_string(spec.port);
        int rc = getaddrinfo(spec.host.c_str(), port.c_str(), &hints, &res);
        if (rc != 0 || !res)
            return fmt::format("backend {}: cannot resolve '{}': {}", spec.name, spec.host, gai_strerror(rc));
        BackendAddress b{spec, {}};
        std::memcpy(&b.addr, res->ai_addr, res->ai_addrlen);
        freeaddrinfo(res);
        out.push_back(std::move(b));
    }
    return std::nullopt;
}

namespace {

std::optional<ServerGreeting> read_greeting(const BackendAddress& b, int timeout_ms) {
    int fd = socket(b.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return std::nullopt;
    socklen_t len = b.addr.ss_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    connect(fd, reinterpret_cast<const sockaddr*>(&b.addr), len);
    std::string buf;
    char tmp[4096];
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, timeout_ms) <= 0) break;
        ssize_t n = read(fd, tmp, sizeof tmp);
        if (n <= 0) break;
        buf.append(tmp, static_cast<std::size_t>(n));
        if (buf.size() >= protocol::kHeaderSize) {
            std::size_t plen = static_cast<unsigned char>(buf[0]) |
                               (static_cast<unsigned char>(buf[1]) << 8) |
                               (static_cast<unsigned char>(buf[2]) << 16);
            if (buf.size() >= protocol::kHeaderSize + plen) {
                close(fd);
                protocol::ByteReader r(std::string_view(buf).substr(protocol::kHeaderSize, plen));
                auto hs = protocol::HandshakeV10::parse(r);
                if (!hs) return std::nullopt;
                return ServerGreeting{hs->server_version, hs->capabilities, hs->charset};
            }
        }
    }
    close(fd);
    return std::nullopt;
}

}  // namespace

std::optional<ServerGreeting> probe_greeting(const AppendOnly<BackendAddress>& backends, int timeout_ms) {
    for (const auto& b : backends) {
        if (auto g = read_greeting(b, timeout_ms)) {
            log(Component::proxy).info("{}server version {}", ctx(0, b.spec.name), g->version);
            return g;
        }
        log(Component::proxy).warn("{}no greeting at start-up; trying the next backend", ctx(0, b.spec.name));
    }
    return std::nullopt;
}

}  // namespace sluice::proxy
