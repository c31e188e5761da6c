#pragma once
// What SHOW SESSIONS shows of one client session. The session publishes into its own small mutex-guarded
// cell when something changes (login, statement start and end, PAUSE hold); the admin console copies the
// cells from the main loop. Nothing calls into a worker's loop, and sessions never share a lock with each
// other: each cell has its own.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::proxy {

struct SessionInfo {
    std::uint32_t id = 0;
    int worker = 0;
    std::string client;  // the client's address
    std::string user;
    std::string database;
    bool in_transaction = false;
    std::string backend;    // the backend of the connection the session holds; empty when none
    std::string statement;  // the running statement (kMaxStatement bytes at most); empty between statements
    std::optional<std::chrono::steady_clock::time_point> started;  // of `statement`
    bool held = false;                                             // held by PAUSE
};

class SessionActivity {
  public:
    static constexpr std::size_t kMaxStatement = 200;

    explicit SessionActivity(std::uint32_t id, int worker) {
        info_.id = id;
        info_.worker = worker;
    }

    SessionInfo read() const {
        std::lock_guard lock(mu_);
        return info_;
    }
    // Calls `change(SessionInfo&)` under the lock.
    template <class F>
    void update(F&& change) {
        std::lock_guard lock(mu_);
        change(info_);
    }

    // `text` cut at kMaxStatement bytes, on a UTF-8 character boundary, with "..." when cut.
    static std::string truncated(std::string_view text) {
        std::string out;
        assign_truncated(out, text);
        return out;
    }
    // The same into `out`, reusing its buffer (once per statement: no allocation).
    static void assign_truncated(std::string& out, std::string_view text);

  private:
    mutable std::mutex mu_;
    SessionInfo info_;
};

inline void SessionActivity::assign_truncated(std::string& out, std::string_view text) {
    if (text.size() <= kMaxStatement) {
        out.assign(text);
        return;
    }
    std::size_t n = kMaxStatement;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // a continuation byte
    out.assign(text.substr(0, n));
    out += "...";
}

}  // namespace sluice::proxy
