#pragma once
// Idle, logged-in backend connections of one worker, kept for the next client with the same login. A
// connection comes back only after a clean end of its last response; it is reset (COM_RESET_CONNECTION, then
// the login's database again) before it is offered, and dropped if the reset fails or the backend closes it.

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "proxy/backend_conn.hpp"
#include "proxy/graveyard.hpp"
#include "proxy/pool_stats.hpp"

namespace sluice::proxy {

struct PoolKey {
    std::size_t backend = 0;
    std::string user;
    std::string database;
    protocol::Capabilities capabilities = 0;
    std::uint8_t charset = 0;
    bool operator==(const PoolKey&) const = default;
};

PoolKey pool_key(const BackendConn& b);

class BackendPool final : public BackendListener {
  public:
    BackendPool(Graveyard& graveyard, std::size_t max_idle, PoolStats& stats)
        : graveyard_(graveyard), max_idle_(max_idle), stats_(stats) {}
    ~BackendPool() override;
    BackendPool(const BackendPool&) = delete;
    BackendPool& operator=(const BackendPool&) = delete;

    // An idle connection for this login, or null. The caller becomes its listener.
    std::unique_ptr<BackendConn> acquire(const PoolKey& key);
    // Takes a connection whose last response ended cleanly; resets it and offers it again when that succeeds.
    // A `pristine` one (it ran nothing but plain reads that left no warning or error behind, in the login's
    // database) has no session state to reset and is offered at once.
    void release(std::unique_ptr<BackendConn> b, bool pristine = false);
    // Closes one idle connection to this backend (to free a slot for another login); false when there is
    // none.
    bool evict_one(std::size_t backend);
    std::size_t idle() const { return idle_.size(); }
    std::size_t resetting() const { return resetting_.size(); }
    void clear();

    void on_backend_ready(BackendConn&) override {}
    void on_backend_error(BackendConn& b, const protocol::ErrPacket& err) override;
    void on_backend_data(BackendConn& b, const ChunkRef& chunk, std::string_view data) override;

  private:
    struct Resetting {
        std::unique_ptr<BackendConn> conn;
        protocol::PacketFramer framer{1 << 20};
        int oks_left = 0;
    };
    void drop(BackendConn& b, std::string_view why);
    std::atomic<std::uint32_t>& idle_count(const BackendConn& b) { return stats_.at(b.backend_index()).idle; }
    std::atomic<std::uint32_t>& resetting_count(const BackendConn& b) {
        return stats_.at(b.backend_index()).resetting;
    }

    Graveyard& graveyard_;
    std::size_t max_idle_;
    PoolStats& stats_;
    std::list<std::unique_ptr<BackendConn>> idle_;
    std::list<Resetting> resetting_;
};

}  // namespace sluice::proxy
