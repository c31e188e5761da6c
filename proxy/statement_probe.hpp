#pragma once
// A client session's link to what the admin console sees of it: SHOW SESSIONS (its activity cell in the
// SessionRegistry) and SHOW QUERY DIGEST (its worker's digest table). The session calls it at a handful of
// points — logged in, statement sent, statement answered or abandoned, held by PAUSE — and it does the
// rest, so the session's own code stays about relaying bytes.

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
    // digested: from `tokens`, its classification's, when given, else lexed with `options`); `held` lists
    // the backends the session has connections to ("db1,db2").
    void started(Worker& w, std::uint32_t id, std::string_view payload, std::string_view backend,
                 std::string_view held, std::chrono::steady_clock::time_point at,
                 const router::TokenLog* tokens, router::LexerOptions options);
    // Its response ended: records the digest and publishes the session's state after it.
    void finished(Worker& w, std::uint64_t rows, bool in_transaction, std::string_view database,
                  std::string_view held);
    // Its response will not come (backend lost): no digest, the statement is cleared.
    void abandoned();
    void held(Worker& w, std::uint32_t id, bool on);

  private:
    SessionActivity* cell(Worker& w, std::uint32_t id);

    std::shared_ptr<SessionActivity> activity_;
    std::string fingerprint_;  // of the running COM_QUERY (buffer reused)
    std::string backend_;
    bool query_ = false;
    bool running_ = false;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace sluice::proxy
