// Command-phase requests, COM_STMT_EXECUTE with a fuzzer-chosen parameter count and bound types.
#include <cstdint>
#include <vector>

#include "protocol/commands.hpp"
#include "protocol/fuzz/fuzz_util.hpp"
#include "protocol/stmt_execute.hpp"

using namespace sluice::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    Capabilities caps = fuzz::caps_from(data[0]);
    std::size_t params = data[1] % 32;
    ColumnType bound_type = static_cast<ColumnType>(data[2]);
    std::string_view bytes(reinterpret_cast<const char*>(data + 3), size - 3);

    (void)command_of(bytes);
    if (auto c = command_of(bytes)) (void)c->name();
    fuzz::round_trip<ComQuery>(bytes, caps);
    fuzz::round_trip<ComInitDb>(bytes, caps);
    fuzz::round_trip<ComStmtPrepare>(bytes, caps);
    fuzz::round_trip<ComPing>(bytes, caps);
    fuzz::round_trip<ComFieldList>(bytes, caps);
    fuzz::round_trip<ComProcessKill>(bytes, caps);
    fuzz::round_trip<ComSetOption>(bytes, caps);
    fuzz::round_trip<ComStmtClose>(bytes, caps);
    fuzz::round_trip<ComStmtReset>(bytes, caps);
    fuzz::round_trip<ComStmtFetch>(bytes, caps);
    fuzz::round_trip<ComStmtSendLongData>(bytes, caps);
    fuzz::round_trip<ComStmtExecute>(bytes, caps, params, std::span<const ParamType>{});
    std::vector<ParamType> bound(params, ParamType{bound_type, false});
    fuzz::round_trip<ComStmtExecute>(bytes, caps, params, std::span<const ParamType>(bound));
    return 0;
}
