#include <doctest/doctest.h>

#include "proxy/log.hpp"

using namespace sluice::proxy;

TEST_CASE("context prefixes") {
    CHECK(ctx(12, "db1") == "session=12 backend=db1: ");
    CHECK(ctx(12) == "session=12: ");
    CHECK(ctx(0, "db2") == "backend=db2: ");
    CHECK(ctx(0) == "");
}

TEST_CASE("JSON lines carry the context as fields and escape the message") {
    CHECK(
        json_line("T", "info", "proxy", "session=7 backend=db1: said \"hi\"\n") ==
        R"({"ts":"T","level":"info","component":"proxy","session":"7","backend":"db1","msg":"said \"hi\"\n"})");
    CHECK(json_line("T", "warn", "health", "backend=db2: down") ==
          R"({"ts":"T","level":"warn","component":"health","backend":"db2","msg":"down"})");
    // A colon in an ordinary message is not mistaken for a context prefix.
    CHECK(json_line("T", "info", "proxy", "listening on: 6033") ==
          R"({"ts":"T","level":"info","component":"proxy","msg":"listening on: 6033"})");
    CHECK(json_line("T", "info", "proxy", std::string_view("\x01", 1)) ==
          R"({"ts":"T","level":"info","component":"proxy","msg":"\u0001"})");
}
