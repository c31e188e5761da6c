#include "protocol/connect_attrs.hpp"

#include "protocol/parse_util.hpp"

namespace sluice::protocol {

Result<ConnectAttributes> read_connect_attrs(ByteReader& r) {
    auto block = r.lenenc_string();
    if (!block) return lenenc_failure(r);
    ByteReader b(*block);
    ConnectAttributes attrs;
    while (!b.empty()) {
        auto key = b.lenenc_string();
        auto value = key ? b.lenenc_string() : std::nullopt;
        // The block's own length said these bytes belong to it: a pair cut short is malformed, not truncated.
        if (!value) return ParseError::malformed;
        attrs.emplace_back(std::string(*key), std::string(*value));
    }
    return attrs;
}

void write_connect_attrs(ByteWriter& w, const ConnectAttributes& attrs) {
    std::vector<std::uint8_t> block;
    ByteWriter b(block);
    for (const auto& [key, value] : attrs) {
        b.lenenc_string(key);
        b.lenenc_string(value);
    }
    w.lenenc_string(std::string_view(reinterpret_cast<const char*>(block.data()), block.size()));
}

}  // namespace sluice::protocol
