#pragma once
// The classifier's test table format: one {sql, kind, verb, placement, flags} row per case. Rows compare all
// five so that a change anywhere shows up; messages print names, not numbers.

#include <doctest/doctest.h>

#include <cstddef>
#include <string>

#include "router/classify.hpp"

namespace sluice::router::test {

struct ClassifyRow {
    const char* sql;
    Kind kind;
    Verb verb;
    Placement placement;
    Flags flags;
};

inline void check_row(const ClassifyRow& r) {
    Statement st = classify(r.sql);
    INFO("sql: " << std::string(r.sql));
    CHECK(to_string(st.kind) == to_string(r.kind));
    CHECK(to_string(st.verb) == to_string(r.verb));
    CHECK(to_string(st.placement) == to_string(r.placement));
    CHECK(to_string(st.flags) == to_string(r.flags));
}

template <std::size_t N>
void check_rows(const ClassifyRow (&rows)[N]) {
    for (const ClassifyRow& r : rows) check_row(r);
}

}  // namespace sluice::router::test
