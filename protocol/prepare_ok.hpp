#pragma once
// COM_STMT_PREPARE_OK: 0x00, statement id, column count, parameter count, a reserved byte, warnings. It is
// followed by `params` column definitions and `columns` column definitions, each block ended by an EOF unless
// CLIENT_DEPRECATE_EOF (the response tracker counts them).

#include <cstdint>
#include <string>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/result.hpp"

namespace sluice::protocol {

struct PrepareOk {
    std::uint32_t statement_id = 0;
    std::uint16_t columns = 0;
    std::uint16_t params = 0;
    std::uint16_t warnings = 0;

    // A 10-byte form without the warning count is legal (old servers) and parses with warnings = 0.
    static Result<PrepareOk> parse(ByteReader& r, Capabilities caps = 0);
    void write(ByteWriter& w, Capabilities caps = 0) const;

    bool operator==(const PrepareOk&) const = default;
};

// LOCAL INFILE request (0xFB + file name): the client must now send the file's content then an empty packet.
struct LocalInfileRequest {
    std::string filename;

    static Result<LocalInfileRequest> parse(ByteReader& r, Capabilities caps = 0);
    void write(ByteWriter& w, Capabilities caps = 0) const;

    bool operator==(const LocalInfileRequest&) const = default;
};

}  // namespace sluice::protocol
