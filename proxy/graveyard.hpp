#pragma once
// Objects that finish inside their own callbacks (a session whose client hung up, a backend connection that
// failed while its listener was being told) cannot be deleted there: the code that called back still runs on
// them. They are handed here and deleted by the worker after the callback returns (a uv_check per loop turn).

#include <memory>
#include <vector>

namespace sluice::proxy {

class Graveyard {
  public:
    template <class T>
    void bury(std::unique_ptr<T> p) {
        if (p)
            dead_.push_back(std::unique_ptr<void, void (*)(void*)>(
                p.release(), [](void* q) { delete static_cast<T*>(q); }));
    }
    bool empty() const { return dead_.empty(); }
    void flush() {
        // Deleting may bury more (a session's backends): loop until nothing is left.
        while (!dead_.empty()) {
            auto batch = std::move(dead_);
            dead_.clear();
        }
    }

  private:
    std::vector<std::unique_ptr<void, void (*)(void*)>> dead_;
};

}  // namespace sluice::proxy
