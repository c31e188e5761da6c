// The cost floor of any proxy that terminates the client's TCP connection, for the connection-churn workload:
// one epoll thread that accepts loopback TCP clients and speaks just enough of the MySQL protocol to serve
// bench/loadclient's churn loop — a handshake, OK to any login (no password check), one row `1` for every
// COM_QUERY, close on COM_QUIT — from memory, with no database behind it. What it costs per connect (accept,
// the TCP handshake and teardown, 4 small reads and writes) is what every such proxy pays before it does any
// work of its own; bench/run --floor-target measures it beside direct logins and Sluice. Not a server: it
// parses nothing but packet headers and the command byte.
//
// Built by bench/run with `cc -O2 bench/floor.c -o build*/bench-floor`.
//
//   floor PORT    listen on 127.0.0.1:PORT until SIGTERM or SIGINT
#define _GNU_SOURCE  // accept4
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { kMaxPacket = 1 << 16 };

// The handshake (sequence 0): protocol 10, mysql_native_password, and no CLIENT_DEPRECATE_EOF, so that a
// result set is the classic column count, definition, EOF, row, EOF.
static const uint32_t kCapabilities = 0x1u        // CLIENT_LONG_PASSWORD
                                      | 0x4u      // CLIENT_LONG_FLAG
                                      | 0x8u      // CLIENT_CONNECT_WITH_DB
                                      | 0x200u    // CLIENT_PROTOCOL_41
                                      | 0x2000u   // CLIENT_TRANSACTIONS
                                      | 0x8000u   // CLIENT_SECURE_CONNECTION
                                      | 0x10000u  // CLIENT_MULTI_STATEMENTS
                                      | 0x20000u  // CLIENT_MULTI_RESULTS
                                      | 0x80000u; // CLIENT_PLUGIN_AUTH

static uint8_t g_handshake[128];
static size_t g_handshake_len;
static const uint8_t kOk[] = {7, 0, 0, 2, 0x00, 0, 0, 0x02, 0, 0, 0};  // login OK: sequence 2, autocommit
static uint8_t g_result[128];  // SELECT 1's result, sequences 1-5
static size_t g_result_len;
static const uint8_t kPingOk[] = {7, 0, 0, 1, 0x00, 0, 0, 0x02, 0, 0, 0};
// ERR 1047 (ER_UNKNOWN_COM_ERROR), SQLSTATE 08S01, for any other command.
static const char kUnknown[] = "\xff\x17\x04#08S01floor: only COM_QUERY, COM_PING and COM_QUIT";

static size_t put_packet(uint8_t* out, uint8_t seq, const void* payload, size_t len) {
    out[0] = (uint8_t)len;
    out[1] = (uint8_t)(len >> 8);
    out[2] = (uint8_t)(len >> 16);
    out[3] = seq;
    memcpy(out + 4, payload, len);
    return 4 + len;
}

static void build_messages(void) {
    uint8_t p[96];
    size_t n = 0;
    p[n++] = 10;
    static const char version[] = "5.5.5-10.11-floor";
    memcpy(p + n, version, sizeof version);
    n += sizeof version;
    memset(p + n, 0, 4);  // connection id
    n += 4;
    memcpy(p + n, "abcdefgh", 8);  // scramble, part 1 (the password is not checked)
    n += 8;
    p[n++] = 0;
    p[n++] = (uint8_t)kCapabilities;
    p[n++] = (uint8_t)(kCapabilities >> 8);
    p[n++] = 45;  // utf8mb4_general_ci
    p[n++] = 0x02;  // SERVER_STATUS_AUTOCOMMIT
    p[n++] = 0;
    p[n++] = (uint8_t)(kCapabilities >> 16);
    p[n++] = (uint8_t)(kCapabilities >> 24);
    p[n++] = 21;  // length of the whole scramble + 1
    memset(p + n, 0, 10);  // reserved (MariaDB: 6 + 4 bytes of extended capabilities, none)
    n += 10;
    memcpy(p + n, "ijklmnopqrst", 12);  // scramble, part 2
    n += 12;
    p[n++] = 0;
    static const char plugin[] = "mysql_native_password";
    memcpy(p + n, plugin, sizeof plugin);
    n += sizeof plugin;
    g_handshake_len = put_packet(g_handshake, 0, p, n);

    size_t r = 0;
    static const uint8_t count[] = {1};
    r += put_packet(g_result + r, 1, count, sizeof count);
    static const uint8_t column[] = {3, 'd', 'e', 'f', 0, 0, 0, 1, '1', 0, 0x0c, 63, 0, 1, 0, 0, 0,
                                     0x08 /* LONGLONG */, 0x81, 0 /* NOT_NULL | BINARY */, 0, 0, 0};
    r += put_packet(g_result + r, 2, column, sizeof column);
    static const uint8_t eof[] = {0xfe, 0, 0, 0x02, 0};
    r += put_packet(g_result + r, 3, eof, sizeof eof);
    static const uint8_t row[] = {1, '1'};
    r += put_packet(g_result + r, 4, row, sizeof row);
    r += put_packet(g_result + r, 5, eof, sizeof eof);
    g_result_len = r;
}

struct conn {
    int fd;
    int logged_in;
    size_t have;
    uint8_t buf[kMaxPacket + 4];
};

static volatile sig_atomic_t g_stop;
static void on_signal(int sig) {
    (void)sig;
    g_stop = 1;
}

// Small replies always fit in an empty socket buffer; anything else is a broken client: close it.
static int send_all(int fd, const void* data, size_t len) {
    return write(fd, data, len) == (ssize_t)len ? 0 : -1;
}

static void close_conn(int ep, struct conn* c) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
}

// 0: keep the connection, -1: close it.
static int on_packet(struct conn* c, const uint8_t* payload, size_t len) {
    if (!c->logged_in) {
        c->logged_in = 1;
        return send_all(c->fd, kOk, sizeof kOk);
    }
    if (len == 0) return -1;
    switch (payload[0]) {
        case 0x01: return -1;  // COM_QUIT
        case 0x03: return send_all(c->fd, g_result, g_result_len);
        case 0x0e: return send_all(c->fd, kPingOk, sizeof kPingOk);
        default: {
            uint8_t out[128];
            size_t n = put_packet(out, 1, kUnknown, sizeof kUnknown - 1);
            return send_all(c->fd, out, n);
        }
    }
}

static int on_readable(struct conn* c) {
    for (;;) {
        ssize_t got = read(c->fd, c->buf + c->have, sizeof c->buf - c->have);
        if (got == 0) return -1;
        if (got < 0) return errno == EAGAIN ? 0 : -1;
        c->have += (size_t)got;
        size_t at = 0;
        while (c->have - at >= 4) {
            size_t len = c->buf[at] | (size_t)c->buf[at + 1] << 8 | (size_t)c->buf[at + 2] << 16;
            if (len > kMaxPacket) return -1;
            if (c->have - at < 4 + len) break;
            if (on_packet(c, c->buf + at + 4, len) != 0) return -1;
            at += 4 + len;
        }
        memmove(c->buf, c->buf + at, c->have - at);
        c->have -= at;
    }
}

int main(int argc, char** argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: floor PORT\n");
        return 2;
    }
    build_messages();
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (lfd < 0 || bind(lfd, (struct sockaddr*)&addr, sizeof addr) != 0 || listen(lfd, 4096) != 0) {
        perror("floor: listen");
        return 1;
    }
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    struct epoll_event events[256];
    while (!g_stop) {
        int n = epoll_wait(ep, events, 256, 200);
        if (n < 0 && errno != EINTR) {
            perror("floor: epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; ++i) {
            struct conn* c = events[i].data.ptr;
            if (c != NULL) {
                if (on_readable(c) != 0) close_conn(ep, c);
                continue;
            }
            for (;;) {  // accept until EAGAIN, as libuv does
                int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
                if (fd < 0) break;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                c = calloc(1, sizeof *c);
                if (!c || send_all(fd, g_handshake, g_handshake_len) != 0) {
                    free(c);
                    close(fd);
                    continue;
                }
                c->fd = fd;
                struct epoll_event cev = {.events = EPOLLIN, .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
            }
        }
    }
    close(lfd);
    return 0;
}
