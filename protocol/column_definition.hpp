#pragma once
// ColumnDefinition41: one packet per column, after a result set's column count, in PREPARE_OK's parameter and
// column blocks, and in COM_FIELD_LIST responses (which append a default value).

#include <cstdint>
#include <optional>
#include <string>

#include "protocol/byte_reader.hpp"
#include "protocol/byte_writer.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/column_type.hpp"
#include "protocol/result.hpp"

namespace sluice::protocol {

inline constexpr std::uint16_t kCharsetBinary = 63;
inline constexpr std::uint16_t kCharsetUtf8mb4GeneralCi = 45;

// MariaDB extended metadata entry keys (MARIADB_CLIENT_EXTENDED_METADATA).
enum class ExtendedMetadataKey : std::uint8_t { type_name = 0, format_name = 1 };

struct ColumnDefinition {
    std::string catalog = "def";
    std::string schema;
    std::string table;
    std::string org_table;
    std::string name;
    std::string org_name;
    // Raw MariaDB extended metadata block (entries of key byte + lenenc value), present only when negotiated.
    std::string extended_metadata;
    std::uint16_t charset = kCharsetUtf8mb4GeneralCi;
    std::uint32_t column_length = 0;
    ColumnType type = ColumnType::var_string;
    std::uint16_t flags = 0;
    std::uint8_t decimals = 0;
    // COM_FIELD_LIST appends a default value (NULL when the column has none); other responses do not.
    bool has_default_field = false;
    std::optional<std::string> default_value;

    // A text column for synthetic result sets (the admin console).
    static ColumnDefinition text(std::string name, std::uint32_t length = 1024);

    static Result<ColumnDefinition> parse(ByteReader& r, Capabilities caps);
    void write(ByteWriter& w, Capabilities caps) const;

    // Value of one extended metadata entry (e.g. "json", "uuid", "inet6" for type_name), if present.
    std::optional<std::string> extended(ExtendedMetadataKey key) const;

    bool operator==(const ColumnDefinition&) const = default;
};

}  // namespace sluice::protocol
