// The session-command history: what a new backend replays, kept short.

#include <doctest/doctest.h>

#include <initializer_list>
#include <string>

#include "router/classify.hpp"
#include "router/session_history.hpp"

using namespace sluice::router;

namespace {

// Records each statement, returns the replay list joined with " | ".
std::string after(std::initializer_list<const char*> statements, std::size_t max = 512) {
    SessionHistory h(max);
    for (const char* sql : statements) h.record(classify(sql));
    std::string out;
    for (std::string_view s : h.replay()) out += (out.empty() ? "" : " | ") + std::string(s);
    return out;
}

}  // namespace

TEST_CASE("router session history: compaction") {
    struct Row {
        std::initializer_list<const char*> statements;
        const char* replay;
    };
    const Row rows[] = {
        {{}, ""},
        {{"SET a = 1"}, "SET a = 1"},
        {{"SET a = 1", "SET a = 2"}, "SET a = 2"},
        {{"SET a = 1", "SET SESSION a = 2", "SET @@a = 3", "SET @@session.A = 4"}, "SET @@session.A = 4"},
        {{"SET a = 1", "SET b = 2", "SET a = 3"}, "SET b = 2 | SET a = 3"},
        {{"SET a = 1, b = 2", "SET a = 3"}, "SET a = 1, b = 2 | SET a = 3"},
        {{"SET a = 1", "SET b = 2", "SET a = 3, b = 4"}, "SET a = 3, b = 4"},
        {{"SET @x = 1", "SET @X = 2"}, "SET @X = 2"},
        {{"SET @a = 1", "SET @b = @a", "SET @a = 2"}, "SET @a = 1 | SET @b = @a | SET @a = 2"},
        {{"SET @a = 1", "SET @a = @a + 1"}, "SET @a = 1 | SET @a = @a + 1"},
        {{"SET sql_mode = 'A'", "SET @m = @@sql_mode", "SET sql_mode = 'B'"},
         "SET sql_mode = 'A' | SET @m = @@sql_mode | SET sql_mode = 'B'"},
        {{"SET NAMES utf8", "SET NAMES latin1"}, "SET NAMES latin1"},
        {{"SET NAMES utf8", "SET CHARACTER SET latin1"}, "SET CHARACTER SET latin1"},
        {{"SET character_set_client = utf8", "SET collation_connection = x", "SET NAMES latin1"},
         "SET NAMES latin1"},
        {{"SET NAMES utf8", "SET character_set_results = NULL"},
         "SET NAMES utf8 | SET character_set_results = NULL"},
        {{"/*!40101 SET NAMES utf8 */", "SET NAMES utf8mb4"}, "SET NAMES utf8mb4"},
        {{"USE a", "USE b"}, "USE b"},
        {{"USE a", "SET x = 1", "USE b"}, "SET x = 1 | USE b"},
        {{"USE a", "PREPARE s FROM 'SELECT * FROM t'", "USE b"},
         "USE a | PREPARE s FROM 'SELECT * FROM t' | USE b"},
        {{"PREPARE s FROM 'SELECT 1'", "PREPARE s FROM 'SELECT 2'"}, "PREPARE s FROM 'SELECT 2'"},
        {{"PREPARE s FROM 'SELECT 1'", "PREPARE t FROM 'SELECT 2'", "DEALLOCATE PREPARE s"},
         "PREPARE t FROM 'SELECT 2'"},
        {{"PREPARE s FROM 'SELECT 1'", "DROP PREPARE S"}, ""},
        {{"SET @q = 'SELECT 1'", "PREPARE s FROM @q", "SET @q = 'SELECT 2'"},
         "SET @q = 'SELECT 1' | PREPARE s FROM @q | SET @q = 'SELECT 2'"},
        {{"SET autocommit = 0", "SET autocommit = 1"}, "SET autocommit = 1"},
        {{"SET tx_isolation = 'READ-COMMITTED'", "SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE"},
         "SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE"},
        {{"SET SESSION TRANSACTION READ ONLY", "SET SESSION TRANSACTION READ WRITE"},
         "SET SESSION TRANSACTION READ WRITE"},
        {{"SET ROLE a", "SET ROLE b"}, "SET ROLE b"},
        {{"SELECT 1", "SET GLOBAL x = 1", "SET TRANSACTION READ ONLY", "SET @u = UUID()",
          "SET x = 1; SELECT 1"},
         ""},
        {{"INSERT INTO t VALUES (1)", "SET a = 1", "SHOW WARNINGS"}, "SET a = 1"},
        {{"SET a = 1", "SET 'broken"}, "SET a = 1"},
    };
    for (const Row& r : rows) {
        std::string list;
        for (const char* s : r.statements) list += std::string(s) + "; ";
        INFO("statements: " << list);
        CHECK(after(r.statements) == r.replay);
    }
}

TEST_CASE("router session history: a bounded size") {
    SessionHistory h(3);
    h.record(classify("SET a = 1"));
    h.record(classify("SET b = 1"));
    h.record(classify("SET a = 2"));  // replaces the first: still two
    CHECK(h.size() == 2);
    CHECK_FALSE(h.overflowed());
    h.record(classify("SET c = 1"));
    CHECK(h.size() == 3);
    h.record(classify("SET d = 1"));
    CHECK(h.overflowed());
    CHECK(h.size() == 3);
    h.record(classify("SET e = 1"));  // no longer recorded
    CHECK(h.size() == 3);
    h.clear();
    CHECK_FALSE(h.overflowed());
    CHECK(h.size() == 0);
}
