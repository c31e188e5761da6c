#include "proxy/refusal.hpp"

#include <cstdint>
#include <vector>

#include "proxy/log.hpp"

namespace sluice::proxy {

namespace {

// Owns the socket and the bytes until the close callback; heap-allocated, never moved.
struct Refusal {
    union {
        uv_tcp_t tcp;
        uv_pipe_t pipe;  // a client of the Unix socket listener
    } h{};
    uv_write_t write{};
    std::vector<std::uint8_t> bytes;
};

void on_closed(uv_handle_t* h) {
    delete static_cast<Refusal*>(h->data);
}

void close_refusal(Refusal* r) {
    uv_close(reinterpret_cast<uv_handle_t*>(&r->h), on_closed);
}

void on_written(uv_write_t* req, int status) {
    auto* r = static_cast<Refusal*>(req->data);
    if (status < 0) log(Component::proxy).debug("refusal not delivered: {}", uv_strerror(status));
    close_refusal(r);
}

}  // namespace

void refuse_connection(uv_stream_t* server, const protocol::ErrPacket& err) {
    auto* r = new Refusal;
    if (server->type == UV_NAMED_PIPE)
        uv_pipe_init(server->loop, &r->h.pipe, 0);
    else
        uv_tcp_init(server->loop, &r->h.tcp);
    r->h.tcp.data = r;  // the handle's common fields: the same place in both
    r->write.data = r;
    int rc = uv_accept(server, reinterpret_cast<uv_stream_t*>(&r->h));
    if (rc != 0) {
        log(Component::proxy).error("accept failed: {}", uv_strerror(rc));
        close_refusal(r);
        return;
    }
    // Before the handshake no capabilities are agreed: the ERR carries no SQLSTATE, as MariaDB sends it then.
    r->bytes = protocol::framed_err(err, 0, 0);
    uv_buf_t buf =
        uv_buf_init(reinterpret_cast<char*>(r->bytes.data()), static_cast<unsigned>(r->bytes.size()));
    rc = uv_write(&r->write, reinterpret_cast<uv_stream_t*>(&r->h), &buf, 1, on_written);
    if (rc != 0) {
        log(Component::proxy).debug("refusal not sent: {}", uv_strerror(rc));
        close_refusal(r);
    }
}

}  // namespace sluice::proxy
