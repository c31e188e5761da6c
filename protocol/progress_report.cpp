#include "protocol/progress_report.hpp"

#include "protocol/err_packet.hpp"
#include "protocol/inspect.hpp"
#include "protocol/parse_util.hpp"

namespace sluice::protocol {

Result<ProgressReport> ProgressReport::parse(ByteReader& r, Capabilities) {
    auto header = r.u8();
    auto code = header ? r.u16() : std::nullopt;
    if (!code) return ParseError::truncated;
    if (*header != kErrHeader || *code != kProgressReportCode) return ParseError::malformed;
    auto strings = r.u8();
    auto stage = r.u8();
    auto max_stage = r.u8();
    auto progress = r.u24();
    if (!strings || !stage || !max_stage || !progress) return ParseError::truncated;
    auto info = r.lenenc_string();
    if (!info) return lenenc_failure(r);
    if (!r.empty()) return ParseError::malformed;
    return ProgressReport{*strings, *stage, *max_stage, *progress, std::string(*info)};
}

void ProgressReport::write(ByteWriter& w, Capabilities) const {
    w.u8(kErrHeader);
    w.u16(kProgressReportCode);
    w.u8(strings);
    w.u8(stage);
    w.u8(max_stage);
    w.u24(progress);
    w.lenenc_string(info);
}

}  // namespace sluice::protocol
