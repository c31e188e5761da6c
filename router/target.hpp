#pragma once
// Where a statement goes. A closed set so every caller can `switch` over it; the routing function that picks
// one lives beside this (see the router issue).

#include <cstdint>
#include <string_view>

namespace sluice::router {

enum class Target : std::uint8_t {
    primary,  // the current primary
    replica,  // any healthy replica within the lag limit
    named,    // a backend chosen by name (hint `/* sluice: backend=NAME */`)
    all,      // every backend the session holds (session commands)
};

std::string_view to_string(Target t);

}  // namespace sluice::router
