#pragma once
// One stream on an event loop (TCP, or a Unix socket for clients of the socket listener): reads into shared
// chunks, writes owned or shared bytes, counts what is queued (for backpressure), and closes once. The object
// owns its libuv handle and never moves; after close() it
// belongs to libuv and deletes itself in the close callback, so its owner must forget the pointer when it
// calls close().

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/chunk.hpp"
#include "proxy/stream_handle.hpp"

namespace sluice::proxy {

class Connection;

class ConnectionHandler {
  public:
    virtual ~ConnectionHandler() = default;
    // Bytes arrived; `chunk` holds them and may be kept (forwarded) by reference.
    virtual void on_read(Connection& c, const ChunkRef& chunk, std::string_view data) = 0;
    // The peer closed (`status` UV_EOF) or the stream failed. The handler decides whether to close().
    virtual void on_read_error(Connection& c, int status) = 0;
    // The write queue fell below the low watermark after having passed the high one.
    virtual void on_drained(Connection&) {}
    // A write failed: the connection is unusable; the handler decides what to tell whom.
    virtual void on_write_error(Connection& c, int status) = 0;
    // An outgoing connect() finished (status 0) or failed.
    virtual void on_connected(Connection&, int) {}
};

class Connection {
  public:
    static constexpr std::size_t kHighWatermark = 1024 * 1024;
    static constexpr std::size_t kLowWatermark = 256 * 1024;

    // `type`: UV_TCP, or UV_NAMED_PIPE for a client accepted on a Unix socket.
    Connection(uv_loop_t* loop, ChunkPool& chunks, ConnectionHandler* handler, uv_handle_type type = UV_TCP);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    uv_stream_t* stream() { return h_.stream(); }
    void set_handler(ConnectionHandler* h) { handler_ = h; }

    // Takes the next pending connection of `server` (whose type this connection was made with); TCP gets
    // TCP_NODELAY. A libuv error code, 0 on success.
    int accept(uv_stream_t* server);
    // Starts an outgoing TCP connection; the handler hears of it in on_connected().
    int connect(const sockaddr* addr);

    void start_reading();
    void stop_reading();
    bool reading() const { return reading_; }

    void write(std::vector<std::uint8_t> bytes);
    void write(const ChunkRef& chunk, std::string_view slice);  // `slice` must lie inside `chunk`
    // Bytes the caller keeps: what the socket does not take at once is copied (the caller's buffer can be
    // reused from statement to statement).
    void write_copy(std::string_view bytes);
    std::size_t queued() const { return queued_; }
    bool over_high_watermark() const { return queued_ >= kHighWatermark; }

    // Idempotent. Pending writes are flushed first when `flush` is true (an ERR before hanging up).
    void close(bool flush = false);
    bool closing() const { return closing_; }

    // The peer's address as text ("127.0.0.1"), "localhost" on a Unix socket (as MariaDB names a socket
    // login), empty when unknown.
    std::string peer_ip();

  private:
    struct WriteReq;
    ~Connection();  // only from the close callback
    static void on_alloc(uv_handle_t* h, std::size_t suggested, uv_buf_t* buf);
    static void on_read_cb(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf);
    static void on_write_cb(uv_write_t* req, int status);
    static void on_shutdown_cb(uv_shutdown_t* req, int status);
    static void on_close_cb(uv_handle_t* h);
    static void on_connect_cb(uv_connect_t* req, int status);
    void submit(WriteReq* req, uv_buf_t buf);
    std::size_t try_write_now(const char* data, std::size_t len);  // bytes the socket took at once
    void learn_fd();                                               // once accepted or connected

    StreamHandle h_{};
    // What every read and write touches, next to the handle; the requests used once per connection after.
    ChunkPool& chunks_;
    ConnectionHandler* handler_;
    ChunkRef reading_chunk_;  // the chunk libuv is reading into
    std::size_t queued_ = 0;
    int fd_ = -1;  // the socket, once accepted or connected (for try_write_now)
    bool reading_ = false;
    bool closing_ = false;
    bool above_high_ = false;
    uv_shutdown_t shutdown_req_{};
    uv_connect_t connect_req_{};  // here, not in the handler: libuv may call back after the handler is gone
};

}  // namespace sluice::proxy
