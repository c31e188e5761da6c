// ClientSession's side of the admin console. Under PAUSE a new command waits, the session counts as busy
// (further commands queue behind it, idle timeouts do not apply), and RESUME runs it as if it had just
// arrived. SHOW SESSIONS learns which backends it holds and what it runs (publish_activity(), called by the
// worker's clock).

#include "proxy/client_session.hpp"
#include "proxy/log.hpp"
#include "proxy/worker.hpp"

namespace sluice::proxy {

void ClientSession::hold_paused(PendingCommand cmd) {
    log(Component::proxy).debug("{}statement held: Sluice is paused", ctx(id_));
    paused_ = std::move(cmd);
    move_to(State::forwarding);
    probe_.held(worker_, id_, true);
}

void ClientSession::resume_paused() {
    if (!paused_ || state_ == State::closed) return;
    PendingCommand cmd = std::move(*paused_);
    paused_.reset();
    probe_.held(worker_, id_, false);
    move_to(State::idle);
    run_command(std::move(cmd));  // may be held again, if paused once more meanwhile
    run_pending();                // when it was answered at once (an ERR of ours): what queued behind it
}

std::uint64_t ClientSession::held_mask() const {
    std::uint64_t mask = 0;
    for (std::size_t i = 0; i < slots_.size(); ++i)
        if (slots_[i].conn) mask |= std::uint64_t{1} << i;
    return mask;
}

const std::string& ClientSession::held_backends() {
    std::uint64_t mask = held_mask();
    if (mask == held_mask_) return held_;
    held_mask_ = mask;
    held_.clear();
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        if (!slots_[i].conn) continue;
        if (!held_.empty()) held_ += ',';
        held_ += backend_name(i);
    }
    return held_;
}

void ClientSession::publish_activity() {
    std::string_view payload = job_ ? protocol::as_view(job_->cmd.payload) : std::string_view();
    probe_.publish(worker_, id_, payload, router_.in_transaction, router_.database, held_backends());
}

}  // namespace sluice::proxy
