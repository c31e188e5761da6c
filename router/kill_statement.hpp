#pragma once
// Recognises MariaDB's KILL statement, so that the proxy can translate the connection ids its clients saw in
// Sluice's greeting into the backend's thread ids:
//   KILL [HARD | SOFT] [CONNECTION | QUERY] [ID] n   (also KILL QUERY ID n)
// Anything else (KILL USER, KILL QUERY ID with a query id, comments) is not recognised and goes through as
// is.

#include <cstdint>
#include <optional>
#include <string_view>

namespace sluice::router {

struct KillStatement {
    bool query_only = false;  // KILL QUERY: stop the statement, keep the connection
    bool hard = true;         // SOFT: let the statement reach a safe point (MariaDB's default is HARD)
    std::uint64_t id = 0;
};

std::optional<KillStatement> parse_kill(std::string_view sql);

}  // namespace sluice::router
