#pragma once
// Where a statement goes. A closed set so every caller can `switch` over it; route() (router/route.hpp)
// picks one and RoutePlan::backend says which server.

#include <cstdint>
#include <string_view>

namespace sluice::router {

enum class Target : std::uint8_t {
    primary,  // the current primary
    replica,  // a replica: chosen by the scoring function, or the one the session's transaction is pinned to
    named,  // one given backend that is not the primary: named by a `/* sluice: backend=NAME */` hint, or the
            // one holding the session's temporary table, FOUND_ROWS() partner or previous statement
    all,    // every backend the session holds (session commands)
};

std::string_view to_string(Target t);

}  // namespace sluice::router
