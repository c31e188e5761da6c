#pragma once
// A client session's link to what the admin console sees of it: SHOW SESSIONS (its activity cell in the
// SessionRegistry) and SHOW QUERY DIGEST (its worker's digest table). The session calls it at a handful of
// points — logged in, statement sent, statement answered or abandoned, held by PAUSE — and it does the
// rest, so the session's own code stays about relaying bytes.
//
// A statement's start and end only note what happened, in the session's own memory: the cell, shared with
// the admin thread under a lock, is brought up to date by publish(), which the worker's clock calls (every
// 100 ms) for the sessions whose cell is behind. Per statement that saves two lock round trips and the cell's
// cache lines, which with hundreds of busy sessions are cold every time.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "router/lexer.hpp"

namespace sluice::proxy {

class Worker;
class SessionActivity;

class StatementProbe {
  public:
    void logged_in(Worker& w, std::uint32_t id, std::string_view client, std::string_view user,
                   std::string_view database, std::string_view backend);
    // A command went to `backend` at `at`; `payload` is the command packet's payload (COM_QUERY text is
    // digested: from `tokens`, its classification's, when given, else lexed with `options`).
    void started(std::string_view payload, std::string_view backend, std::chrono::steady_clock::time_point at,
                 const router::TokenLog* tokens, router::LexerOptions options);
    // Its response ended: records the digest.
    void finished(Worker& w, std::uint64_t rows);
    // Its response will not come (backend lost): no digest.
    void abandoned();
    void held(Worker& w, std::uint32_t id, bool on);

    // Whether the cell is behind: a statement started or ended since the last publish().
    bool stale() const { return stale_; }
    // Brings the cell up to date. `payload` is the running command's (read only while one runs); the rest is
    // the session's state now: "db1,db2" for `held`.
    void publish(Worker& w, std::uint32_t id, std::string_view payload, bool in_transaction,
                 std::string_view database, std::string_view held);

  private:
    SessionActivity* cell(Worker& w, std::uint32_t id);

    std::shared_ptr<SessionActivity> activity_;
    std::string fingerprint_;  // of the running COM_QUERY (buffer reused)
    std::string backend_;
    bool query_ = false;
    bool running_ = false;
    bool stale_ = false;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace sluice::proxy
