#include "proxy/refusal.hpp"

#include <cstdint>
#include <vector>

#include "proxy/log.hpp"
#include "proxy/stream_handle.hpp"

namespace sluice::proxy {

namespace {

// Owns the socket and the bytes until the close callback; heap-allocated, never moved.
struct Refusal {
    StreamHandle h{};  // TCP, or a client of the Unix socket listener
    uv_write_t write{};
    std::vector<std::uint8_t> bytes;
};

void on_closed(uv_handle_t* h) {
    delete static_cast<Refusal*>(h->data);
}

void close_refusal(Refusal* r) {
    uv_close(r->h.handle(), on_closed);
}

void on_written(uv_write_t* req, int status) {
    auto* r = static_cast<Refusal*>(req->data);
    if (status < 0) log(Component::proxy).debug("refusal not delivered: {}", uv_strerror(status));
    close_refusal(r);
}

}  // namespace

void refuse_connection(uv_stream_t* server, const protocol::ErrPacket& err) {
    auto* r = new Refusal;
    r->h.init(server->loop, server->type, r);
    r->write.data = r;
    int rc = uv_accept(server, r->h.stream());
    if (rc != 0) {
        log(Component::proxy).error("accept failed: {}", uv_strerror(rc));
        close_refusal(r);
        return;
    }
    // Before the handshake no capabilities are agreed: the ERR carries no SQLSTATE, as MariaDB sends it then.
    r->bytes = protocol::framed_err(err, 0, 0);
    uv_buf_t buf =
        uv_buf_init(reinterpret_cast<char*>(r->bytes.data()), static_cast<unsigned>(r->bytes.size()));
    rc = uv_write(&r->write, r->h.stream(), &buf, 1, on_written);
    if (rc != 0) {
        log(Component::proxy).debug("refusal not sent: {}", uv_strerror(rc));
        close_refusal(r);
    }
}

}  // namespace sluice::proxy
