// What SHOW SESSIONS and SHOW POOLS read: a session's activity cell and one worker's pool counters.

#include <doctest/doctest.h>

#include "proxy/pool_stats.hpp"
#include "proxy/runtime.hpp"
#include "proxy/session_activity.hpp"

using namespace sluice::proxy;

TEST_CASE("session activity: statements are cut on a character boundary") {
    CHECK(SessionActivity::truncated("SELECT 1") == "SELECT 1");
    std::string ascii(SessionActivity::kMaxStatement + 50, 'a');
    CHECK(SessionActivity::truncated(ascii) == std::string(SessionActivity::kMaxStatement, 'a') + "...");
    // "é" is two bytes; place one across the cut.
    std::string text(SessionActivity::kMaxStatement - 1, 'a');
    text += "\xC3\xA9tail";
    std::string cut = SessionActivity::truncated(text);
    CHECK(cut == std::string(SessionActivity::kMaxStatement - 1, 'a') + "...");
}

TEST_CASE("session registry: entries carry their activity; a released backend clears the name") {
    SessionRegistry r;
    r.add(7, nullptr, 1);
    auto cell = r.activity(7);
    REQUIRE(cell);
    cell->update([](SessionInfo& i) {
        i.user = "app";
        i.backend = "db1,db2";
    });
    auto all = r.list();
    REQUIRE(all.size() == 1);
    CHECK(all[0].id == 7);
    CHECK(all[0].worker == 1);
    CHECK(all[0].user == "app");
    r.set_backend(7, 0);
    CHECK(r.list()[0].backend.empty());
    r.remove(7);
    CHECK(r.list().empty());
    CHECK(cell->read().user == "app");  // a copy held elsewhere stays valid
}

TEST_CASE("pool stats: in use is what is open and neither idle nor resetting") {
    PoolStats s;
    BackendUse& u = s.at(2);
    for (int i = 0; i < 5; ++i) BackendUse::up(u.open);
    BackendUse::up(u.idle);
    BackendUse::up(u.resetting);
    u.opened = 9;
    PoolRow row = s.row(3, 2);
    CHECK(row.worker == 3);
    CHECK(row.backend == 2);
    CHECK(row.in_use == 3);
    CHECK(row.idle == 1);
    CHECK(row.resetting == 1);
    CHECK(row.opened == 9);
    BackendUse::up(u.idle);
    BackendUse::up(u.idle);
    BackendUse::up(u.idle);  // a reader between two moves: never below zero
    CHECK(s.row(3, 2).in_use == 0);
}
