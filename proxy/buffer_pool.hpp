#pragma once
// Small byte buffers a worker lends its sessions: a command's payload while it runs, and the packets built
// from it for a backend. Given back and taken last-in first-out, so the few in use at a time stay in the
// CPU's cache however many sessions take turns, and an idle session holds none.

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace sluice::proxy {

class BufferPool {
  public:
    static constexpr std::size_t kKeptCapacity = 2048;  // a larger buffer is freed when given back
    static constexpr std::size_t kKept = 64;            // at most this many wait for reuse

    BufferPool() { free_.reserve(kKept); }

    // An empty buffer, the one given back last when there is one.
    std::vector<std::uint8_t> take() {
        if (free_.empty()) return {};
        std::vector<std::uint8_t> b = std::move(free_.back());
        free_.pop_back();
        return b;
    }
    void give_back(std::vector<std::uint8_t> b) {
        if (b.capacity() == 0 || b.capacity() > kKeptCapacity || free_.size() >= kKept) return;
        b.clear();
        free_.push_back(std::move(b));
    }
    std::size_t kept() const { return free_.size(); }

  private:
    std::vector<std::vector<std::uint8_t>> free_;
};

}  // namespace sluice::proxy
