#include "proxy/backend_pool.hpp"

#include "protocol/commands.hpp"
#include "protocol/inspect.hpp"
#include "protocol/message.hpp"
#include "protocol/ok_packet.hpp"
#include "proxy/log.hpp"

namespace sluice::proxy {

PoolKey pool_key(const BackendConn& b) {
    const BackendLogin& l = b.login();
    return PoolKey{b.backend_index(), l.user, l.database, l.capabilities, l.charset};
}

BackendPool::~BackendPool() {
    clear();
}

void BackendPool::clear() {
    for (auto& b : idle_) BackendUse::down(idle_count(*b));
    for (auto& r : resetting_) BackendUse::down(resetting_count(*r.conn));
    idle_.clear();
    resetting_.clear();
}

std::unique_ptr<BackendConn> BackendPool::acquire(const PoolKey& key) {
    for (auto it = idle_.begin(); it != idle_.end(); ++it) {
        if (pool_key(**it) == key) {
            std::unique_ptr<BackendConn> b = std::move(*it);
            idle_.erase(it);
            BackendUse::down(idle_count(*b));
            b->set_listener(nullptr);
            return b;
        }
    }
    return nullptr;
}

bool BackendPool::evict_one(std::size_t backend) {
    for (auto it = idle_.begin(); it != idle_.end(); ++it) {
        if ((*it)->backend_index() != backend) continue;
        BackendUse::down(idle_count(**it));
        idle_.erase(it);  // deleted here: no callback of it is running
        return true;
    }
    return false;
}

void BackendPool::release(std::unique_ptr<BackendConn> b, bool pristine) {
    if (!b || b->state() != BackendConn::State::ready || idle_.size() + resetting_.size() >= max_idle_)
        return;
    b->set_listener(this);
    if (pristine) {
        b->conn().start_reading();  // to hear of a close while it waits
        BackendUse::up(idle_count(*b));
        idle_.push_back(std::move(b));
        return;
    }
    // Reset the session, then select the login's database again: a client's USE must not leak to the next
    // one.
    std::vector<std::uint8_t> out;
    protocol::append_message(out, 0, protocol::ComResetConnection{}, 0);
    int oks = 1;
    if (!b->login().database.empty()) {
        protocol::append_message(out, 0, protocol::ComInitDb{b->login().database}, 0);
        ++oks;
    }
    b->conn().write(std::move(out));
    b->conn().start_reading();
    stats_.at(b->backend_index()).resets.fetch_add(1, std::memory_order_relaxed);
    BackendUse::up(resetting_count(*b));
    resetting_.push_back(Resetting{std::move(b), protocol::PacketFramer(1 << 20), oks});
}

void BackendPool::on_backend_data(BackendConn& b, const ChunkRef&, std::string_view data) {
    for (auto it = resetting_.begin(); it != resetting_.end(); ++it) {
        if (it->conn.get() != &b) continue;
        it->framer.feed(data);
        for (;;) {
            it->framer.expect_sequence(1);
            auto next = it->framer.next();
            if (!next ||
                (next->has_value() && protocol::first_byte((*next)->payload) != protocol::kOkHeader)) {
                drop(b, "reset failed");
                return;
            }
            if (!next->has_value()) return;
            if (--it->oks_left == 0) {
                BackendUse::down(resetting_count(b));
                BackendUse::up(idle_count(b));
                idle_.push_back(std::move(it->conn));
                resetting_.erase(it);
                return;
            }
        }
    }
    drop(b, "unexpected data from an idle connection");
}

void BackendPool::on_backend_error(BackendConn& b, const protocol::ErrPacket& err) {
    drop(b, err.message);
}

void BackendPool::drop(BackendConn& b, std::string_view why) {
    log(Component::proxy).debug("{}pooled connection dropped: {}", ctx(0, b.name()), why);
    for (auto it = idle_.begin(); it != idle_.end(); ++it) {
        if (it->get() != &b) continue;
        BackendUse::down(idle_count(b));
        graveyard_.bury(std::move(*it));
        idle_.erase(it);
        return;
    }
    for (auto it = resetting_.begin(); it != resetting_.end(); ++it) {
        if (it->conn.get() != &b) continue;
        BackendUse::down(resetting_count(b));
        graveyard_.bury(std::move(it->conn));
        resetting_.erase(it);
        return;
    }
}

}  // namespace sluice::proxy
