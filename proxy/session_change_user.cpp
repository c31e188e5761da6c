// ClientSession: COM_CHANGE_USER. The client re-authenticates against Sluice (with the connection's seed, as
// MariaDB does); the backend connection of the old login goes back to the pool and one for the new login is
// taken or opened, which also gives the fresh session state COM_CHANGE_USER promises.

#include "protocol/auth/native_password.hpp"
#include "protocol/auth_switch.hpp"
#include "protocol/change_user.hpp"
#include "protocol/message.hpp"
#include "proxy/client_session.hpp"
#include "proxy/log.hpp"
#include "proxy/worker.hpp"

namespace sluice::proxy {

void ClientSession::change_user(const PendingCommand& cmd) {
    protocol::ByteReader r(protocol::as_view(cmd.payload));
    auto req = protocol::ComChangeUser::parse(r, caps_);
    next_seq_ = static_cast<std::uint8_t>(cmd.last_seq + 1);
    if (!req) {
        send_err(protocol::ErrPacket::make(protocol::er::kHandshakeError, "Bad handshake"), next_seq_, true);
        return;
    }
    log(Component::proxy).debug("{}COM_CHANGE_USER from {} to '{}'", ctx(id_), who(), req->username);
    user_ = req->username;
    database_ = req->database;
    if (req->charset) charset_ = static_cast<std::uint8_t>(*req->charset);
    attributes_ = req->attributes;
    auth_response_ = req->auth_response;
    refresh_asked_ = false;
    // The new login gets fresh connections and a fresh session state, as COM_CHANGE_USER promises.
    release_slots();
    router_ = router::SessionState();
    prepared_.clear();
    deadline_ = std::chrono::steady_clock::now() + worker_.limits().handshake_timeout;
    bool native =
        req->auth_plugin_name.empty() || req->auth_plugin_name == protocol::auth::kNativePasswordPlugin;
    if (!native) {
        protocol::AuthSwitchRequest sw{std::string(protocol::auth::kNativePasswordPlugin), seed_ + '\0'};
        std::vector<std::uint8_t> out;
        next_seq_ = protocol::append_message(out, next_seq_, sw, caps_);
        client_->write(std::move(out));
        move_to(State::auth_switch_sent);
        return;
    }
    authenticate();
}

}  // namespace sluice::proxy
