#pragma once
// The start of a result set (the column-count packet) and a writer for whole text result sets, used by
// Sluice's own answers (the admin console) so they look exactly like a server's.

#include <cstdint>
#include <vector>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/column_definition.hpp"
#include "protocol/result.hpp"
#include "protocol/server_status.hpp"
#include "protocol/text_row.hpp"

namespace sluice::protocol {

// Column count, and with MARIADB_CLIENT_CACHE_METADATA a flag saying whether column definitions follow
// (a client that cached them for a prepared statement gets 0 and no definitions).
struct ColumnCount {
    std::uint64_t count = 0;
    bool metadata_follows = true;

    static Result<ColumnCount> parse(ByteReader& r, Capabilities caps);
    void write(ByteWriter& w, Capabilities caps) const;

    bool operator==(const ColumnCount&) const = default;
};

// Appends a complete framed text result set: column count, definitions, EOF (unless CLIENT_DEPRECATE_EOF),
// rows, then EOF or (CLIENT_DEPRECATE_EOF) an OK with header 0xFE, carrying `status`. Returns the next seq.
std::uint8_t append_text_result_set(std::vector<std::uint8_t>& out, std::uint8_t seq,
                                    const std::vector<ColumnDefinition>& columns,
                                    const std::vector<TextRow>& rows, Capabilities caps, ServerStatus status);

}  // namespace sluice::protocol
