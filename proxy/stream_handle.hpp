#pragma once
// The libuv handle of a stream socket: TCP, or a Unix domain socket (a uv_pipe_t) for the client socket
// listener and the clients it accepts. Both start with libuv's common handle and stream fields, so the
// stream and handle views and `data` are the same whichever it is.

#include <uv.h>

namespace sluice::proxy {

union StreamHandle {
    uv_tcp_t tcp;
    uv_pipe_t pipe;

    // uv_tcp_init or uv_pipe_init by `type` (UV_TCP or UV_NAMED_PIPE), then `data` = `owner`.
    void init(uv_loop_t* loop, uv_handle_type type, void* owner) {
        if (type == UV_NAMED_PIPE)
            uv_pipe_init(loop, &pipe, 0);
        else
            uv_tcp_init(loop, &tcp);
        tcp.data = owner;
    }
    uv_handle_type type() const { return tcp.type; }
    uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(this); }
    uv_handle_t* handle() { return reinterpret_cast<uv_handle_t*>(this); }
};

}  // namespace sluice::proxy
