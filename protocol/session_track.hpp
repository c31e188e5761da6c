#pragma once
// The session-state-change block of an OK packet (CLIENT_SESSION_TRACK): a sequence of typed entries, each a
// type byte and a length-encoded body. Parsed on demand only; the OK packet keeps the raw block.

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/result.hpp"

namespace sluice::protocol {

enum class SessionTrackType : std::uint8_t {
    system_variables = 0,  // body: lenenc name, lenenc value
    schema = 1,            // body: lenenc schema name
    state_change = 2,      // body: lenenc "1"
    gtids = 3,
    transaction_characteristics = 4,
    transaction_state = 5,
};

struct SessionChange {
    SessionTrackType type{};
    std::string name;   // variable or schema name (system_variables, schema); empty otherwise
    std::string value;  // variable value, or the raw body for other types

    bool operator==(const SessionChange&) const = default;
};

Result<std::vector<SessionChange>> parse_session_changes(std::string_view block);
std::string write_session_changes(const std::vector<SessionChange>& changes);

}  // namespace sluice::protocol
