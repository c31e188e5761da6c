// Server response messages: OK/EOF/ERR, column definitions, text and binary rows, PREPARE_OK, session state.
#include <cstdint>
#include <vector>

#include "protocol/binary_row.hpp"
#include "protocol/column_definition.hpp"
#include "protocol/err_packet.hpp"
#include "protocol/fuzz/fuzz_util.hpp"
#include "protocol/inspect.hpp"
#include "protocol/ok_packet.hpp"
#include "protocol/prepare_ok.hpp"
#include "protocol/progress_report.hpp"
#include "protocol/result_set.hpp"
#include "protocol/session_track.hpp"
#include "protocol/text_row.hpp"

using namespace sluice::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    Capabilities caps = fuzz::caps_from(data[0]);
    std::size_t columns = data[1] % 16;
    std::vector<ColumnType> types;
    for (std::size_t i = 0; i < columns; ++i) types.push_back(static_cast<ColumnType>(data[2] + i * 37));
    std::string_view bytes(reinterpret_cast<const char*>(data + 3), size - 3);

    fuzz::round_trip<OkPacket>(bytes, caps);
    fuzz::round_trip<EofPacket>(bytes, caps);
    fuzz::round_trip<ErrPacket>(bytes, caps);
    fuzz::round_trip<ColumnDefinition>(bytes, caps);
    fuzz::round_trip<ColumnCount>(bytes, caps);
    fuzz::round_trip<TextRow>(bytes, caps, columns);
    fuzz::round_trip<BinaryRow>(bytes, caps, std::span<const ColumnType>(types));
    fuzz::round_trip<PrepareOk>(bytes, caps);
    fuzz::round_trip<LocalInfileRequest>(bytes, caps);
    fuzz::round_trip<ProgressReport>(bytes, caps);
    if (auto changes = parse_session_changes(bytes)) {
        auto again = parse_session_changes(write_session_changes(*changes));
        fuzz::check(again.ok() && *again == *changes);
    }
    (void)peek_ok(bytes);
    (void)peek_eof(bytes);
    (void)peek_terminator_status(bytes, bytes.size());
    (void)is_progress_report(bytes);
    return 0;
}
