#include "proxy/connection.hpp"

#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>

#include "proxy/log.hpp"

namespace sluice::proxy {

// Writes go straight to the socket (uv_try_write) when nothing is queued — no request, no callback, which is
// the common case for a statement or a small result. Only what the kernel does not take at once is queued.
// A write request owns what it sends (a vector, or a reference on a chunk) until libuv is done with it.
struct Connection::WriteReq {
    uv_write_t req{};
    Connection* conn = nullptr;
    std::vector<std::uint8_t> owned;
    ChunkRef chunk;
    std::size_t size = 0;
};

Connection::Connection(uv_loop_t* loop, ChunkPool& chunks, ConnectionHandler* handler, uv_handle_type type)
    : chunks_(chunks), handler_(handler) {
    h_.init(loop, type, this);
}

Connection::~Connection() = default;

int Connection::accept(uv_stream_t* server) {
    int rc = uv_accept(server, stream());
    if (rc != 0) return rc;
    if (h_.type() == UV_TCP) uv_tcp_nodelay(&h_.tcp, 1);
    learn_fd();
    return 0;
}

void Connection::learn_fd() {
    uv_os_fd_t fd = -1;
    if (uv_fileno(h_.handle(), &fd) == 0) fd_ = fd;
}

int Connection::connect(const sockaddr* addr) {
    connect_req_.data = this;
    uv_tcp_nodelay(&h_.tcp, 1);
    return uv_tcp_connect(&connect_req_, &h_.tcp, addr, on_connect_cb);
}

void Connection::on_connect_cb(uv_connect_t* req, int status) {
    auto* self = static_cast<Connection*>(req->data);
    if (self->closing_ || !self->handler_) return;
    if (status == 0) self->learn_fd();
    self->handler_->on_connected(*self, status);
}

void Connection::start_reading() {
    if (reading_ || closing_) return;
    int rc = uv_read_start(stream(), on_alloc, on_read_cb);
    if (rc != 0) {
        log(Component::proxy).error("read_start failed: {}", uv_strerror(rc));
        return;
    }
    reading_ = true;
}

void Connection::stop_reading() {
    if (!reading_) return;
    uv_read_stop(stream());
    reading_ = false;
}

void Connection::on_alloc(uv_handle_t* h, std::size_t, uv_buf_t* buf) {
    auto* self = static_cast<Connection*>(h->data);
    if (!self->reading_chunk_) self->reading_chunk_ = self->chunks_.get();
    *buf = uv_buf_init(self->reading_chunk_->data(), static_cast<unsigned>(self->reading_chunk_->capacity()));
}

void Connection::on_read_cb(uv_stream_t* s, ssize_t nread, const uv_buf_t*) {
    auto* self = static_cast<Connection*>(s->data);
    if (nread == 0) return;  // EAGAIN: the chunk stays for the next read
    ChunkRef chunk = std::move(self->reading_chunk_);
    if (self->closing_ || !self->handler_) return;
    if (nread < 0) {
        self->stop_reading();
        self->handler_->on_read_error(*self, static_cast<int>(nread));
        return;
    }
    self->handler_->on_read(*self, chunk, chunk->view(0, static_cast<std::size_t>(nread)));
}

void Connection::submit(WriteReq* req, uv_buf_t buf) {
    req->conn = this;
    req->req.data = req;
    req->size = buf.len;
    queued_ += buf.len;
    if (queued_ >= kHighWatermark) above_high_ = true;
    int rc = uv_write(&req->req, stream(), &buf, 1, on_write_cb);
    if (rc != 0) {
        queued_ -= buf.len;
        delete req;
        if (!closing_ && handler_) handler_->on_write_error(*this, rc);
    }
}

std::size_t Connection::try_write_now(const char* data, std::size_t len) {
    // Only with nothing of ours queued: bytes must leave in the order they were given. This is
    // uv_try_write() without its reads of the handle (connect request, write queue, flags, fd: with hundreds
    // of busy sessions, cold cache lines on every statement): `fd_` is known only once accepted or connected,
    // and libuv holds no write that we did not queue ourselves.
    if (queued_ != 0 || fd_ < 0) return 0;
    ssize_t n;
    do {
        n = ::write(fd_, data, len);
    } while (n < 0 && errno == EINTR);
    // EAGAIN: uv_write waits for room. An error (EPIPE, ECONNRESET…) is left to uv_write too, which meets it
    // again and reports it through the write callback, so the handler never hears of a failure from inside
    // write().
    return n > 0 ? static_cast<std::size_t>(n) : 0;
}

void Connection::write(std::vector<std::uint8_t> bytes) {
    if (closing_ || bytes.empty()) return;
    std::size_t done = try_write_now(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (done == bytes.size()) return;
    auto* req = new WriteReq;
    req->owned = std::move(bytes);
    submit(req, uv_buf_init(reinterpret_cast<char*>(req->owned.data() + done),
                            static_cast<unsigned>(req->owned.size() - done)));
}

void Connection::write_copy(std::string_view bytes) {
    if (closing_ || bytes.empty()) return;
    std::size_t done = try_write_now(bytes.data(), bytes.size());
    if (done == bytes.size()) return;
    auto* req = new WriteReq;
    req->owned.assign(bytes.begin() + static_cast<std::ptrdiff_t>(done), bytes.end());
    submit(req,
           uv_buf_init(reinterpret_cast<char*>(req->owned.data()), static_cast<unsigned>(req->owned.size())));
}

void Connection::write(const ChunkRef& chunk, std::string_view slice) {
    if (closing_ || slice.empty()) return;
    std::size_t done = try_write_now(slice.data(), slice.size());
    if (done == slice.size()) return;
    auto* req = new WriteReq;
    req->chunk = chunk;
    submit(req,
           uv_buf_init(const_cast<char*>(slice.data() + done), static_cast<unsigned>(slice.size() - done)));
}

void Connection::on_write_cb(uv_write_t* r, int status) {
    auto* req = static_cast<WriteReq*>(r->data);
    Connection* self = req->conn;
    self->queued_ -= req->size;
    delete req;
    if (self->closing_ || !self->handler_) return;
    if (status < 0) {
        self->handler_->on_write_error(*self, status);
        return;
    }
    if (self->above_high_ && self->queued_ <= kLowWatermark) {
        self->above_high_ = false;
        self->handler_->on_drained(*self);
    }
}

void Connection::close(bool flush) {
    if (closing_) return;
    closing_ = true;
    handler_ = nullptr;
    stop_reading();
    // uv_shutdown runs after the queued writes, so an ERR sent just before reaches the peer. Also when
    // nothing is queued: the ERR may have gone out by try_write_now(), and a FIN before the close keeps it
    // from being overtaken by a reset.
    if (flush && uv_shutdown(&shutdown_req_, stream(), on_shutdown_cb) == 0) return;
    uv_close(h_.handle(), on_close_cb);
}

void Connection::on_shutdown_cb(uv_shutdown_t* req, int) {
    uv_close(reinterpret_cast<uv_handle_t*>(req->handle), on_close_cb);
}

void Connection::on_close_cb(uv_handle_t* h) {
    delete static_cast<Connection*>(h->data);
}

std::string Connection::peer_ip() {
    if (h_.type() == UV_NAMED_PIPE) return "localhost";
    sockaddr_storage addr{};
    int len = sizeof addr;
    if (uv_tcp_getpeername(&h_.tcp, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return {};
    char buf[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET)
        uv_ip4_name(reinterpret_cast<sockaddr_in*>(&addr), buf, sizeof buf);
    else if (addr.ss_family == AF_INET6)
        uv_ip6_name(reinterpret_cast<sockaddr_in6*>(&addr), buf, sizeof buf);
    return buf;
}

}  // namespace sluice::proxy
