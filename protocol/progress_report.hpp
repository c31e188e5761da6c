#pragma once
// MariaDB progress report (negotiated with MARIADB_CLIENT_PROGRESS): shares ERR's 0xFF header with the
// reserved code 0xFFFF, and may arrive any number of times before a long statement's real response.
// Real servers put a "number of strings" byte (always 1) before the stage, which the protocol documentation
// does not show; the layout here follows the bytes MariaDB 10.11 sends (tests/data/local_infile.txt).

#include <cstdint>
#include <string>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/result.hpp"

namespace sluice::protocol {

struct ProgressReport {
    std::uint8_t strings = 1;  // how many strings follow; the server always sends 1
    std::uint8_t stage = 0;
    std::uint8_t max_stage = 0;
    std::uint32_t progress = 0;  // 24 bits, in thousandths of a percent
    std::string info;            // e.g. "End bulk insert"

    static Result<ProgressReport> parse(ByteReader& r, Capabilities caps = 0);
    void write(ByteWriter& w, Capabilities caps = 0) const;

    bool operator==(const ProgressReport&) const = default;
};

}  // namespace sluice::protocol
