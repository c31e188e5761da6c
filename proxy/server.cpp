#include "proxy/server.hpp"

#include <fmt/format.h>

#include <csignal>

#include "protocol/error_codes.hpp"
#include "proxy/log.hpp"
#include "proxy/refusal.hpp"
#include "sluice_version.hpp"

namespace sluice::proxy {

Server::Server(Config config)
    : config_(std::move(config)),
      client_listener_(&loop_, "client", [this](uv_stream_t* s) { on_client(s); }),
      admin_listener_(&loop_, "admin", [this](uv_stream_t* s) { on_admin(s); }) {
    uv_loop_init(&loop_);
}

Server::~Server() {
    // run() closes every handle before it returns; a loop that still has some is a bug worth hearing about.
    if (uv_loop_close(&loop_) != 0) log(Component::proxy).error("event loop closed with handles still open");
}

int Server::run() {
    std::signal(SIGPIPE, SIG_IGN);  // a client that vanishes mid-write must not kill the proxy
    uv_signal_init(&loop_, &sigterm_);
    uv_signal_init(&loop_, &sigint_);
    sigterm_.data = sigint_.data = this;
    uv_signal_start(&sigterm_, on_signal, SIGTERM);
    uv_signal_start(&sigint_, on_signal, SIGINT);

    int exit_code = 0;
    for (auto [listener, where] : {std::pair{&client_listener_, &config_.listen},
                                   std::pair{&admin_listener_, &config_.admin.listen}}) {
        if (auto err = listener->start(*where)) {
            log(Component::proxy).critical("{}", *err);
            exit_code = 1;
            shutdown("start-up failed");
            break;
        }
        log(Component::proxy).info("{} listener on {}:{}", listener->name(), where->address, where->port);
    }
    if (exit_code == 0) {
        log(Component::proxy)
            .info("sluice {} started with {} backend(s) (config {})", SLUICE_VERSION, config_.backends.size(),
                  config_.source);
        log(Component::proxy)
            .warn(
                "the client data path and admin console are not built yet: "
                "connections are answered with ERR 1235");
    }
    uv_run(&loop_, UV_RUN_DEFAULT);
    if (exit_code == 0) log(Component::proxy).info("stopped");
    return exit_code;
}

void Server::on_signal(uv_signal_t* h, int signum) {
    static_cast<Server*>(h->data)->shutdown(signum == SIGTERM ? "SIGTERM" : "SIGINT");
}

void Server::shutdown(const char* why) {
    if (stopping_) return;
    stopping_ = true;
    log(Component::proxy).info("shutting down ({})", why);
    client_listener_.close();
    admin_listener_.close();
    uv_close(reinterpret_cast<uv_handle_t*>(&sigterm_), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&sigint_), nullptr);
}

void Server::on_client(uv_stream_t* server) {
    refuse_connection(server, protocol::ErrPacket::make(protocol::er::kNotSupportedYet,
                                                        "Sluice: the client data path is not available yet"));
}

void Server::on_admin(uv_stream_t* server) {
    refuse_connection(server, protocol::ErrPacket::make(protocol::er::kNotSupportedYet,
                                                        "Sluice: the admin console is not available yet"));
}

}  // namespace sluice::proxy
