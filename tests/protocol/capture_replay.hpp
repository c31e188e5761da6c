#pragma once
// Replays a capture through the framers, the parsers and the response tracker, checking on every packet that
// the tracker agrees with what really happened: each response is complete exactly when the client speaks
// again, and every packet parses as what the tracker's state says it is.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "capture.hpp"
#include "protocol/command.hpp"
#include "protocol/response_tracker.hpp"
#include "protocol/stmt_execute.hpp"

namespace sluice::protocol::test {

// What one command's response turned out to be.
struct ReplayedCommand {
    std::string name;
    std::size_t result_sets = 0;
    std::size_t rows = 0;
    std::size_t progress_reports = 0;
    std::optional<std::uint16_t> error_code;
    ServerStatus status = 0;
    bool cursor_opened = false;
    std::optional<PrepareOk> prepare_ok;
};

struct ReplayResult {
    Capabilities caps = 0;
    std::vector<ReplayedCommand> commands;  // the login exchange first, named "login"
};

ReplayResult replay_capture(const std::string& name);

}  // namespace sluice::protocol::test
