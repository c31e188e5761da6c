#pragma once
// A list that only grows, with a fixed capacity, for what every worker indexes on its data path and RELOAD
// CONFIG may extend (the backends and their gates): entries never move, so references stay valid; one
// writer (the admin console) appends, and readers see size() include an entry only once it is complete
// (release/acquire). No lock on the read side.

#include <array>
#include <atomic>
#include <cstddef>

namespace sluice::proxy {

template <class T>
class AppendOnly {
  public:
    static constexpr std::size_t kCapacity = 64;

    std::size_t size() const { return size_.load(std::memory_order_acquire); }
    bool empty() const { return size() == 0; }
    const T& operator[](std::size_t i) const { return items_[i]; }
    const T* begin() const { return items_.data(); }
    const T* end() const { return items_.data() + size(); }

    // False when full. One writer at a time.
    bool push_back(T item) {
        std::size_t n = size_.load(std::memory_order_relaxed);
        if (n == kCapacity) return false;
        items_[n] = std::move(item);
        size_.store(n + 1, std::memory_order_release);
        return true;
    }

  private:
    std::array<T, kCapacity> items_{};
    std::atomic<std::size_t> size_{0};
};

}  // namespace sluice::proxy
