#include "protocol/packet_framer.hpp"

#include <algorithm>
#include <cstring>

namespace sluice::protocol {

namespace {
using detail::header_length;
using detail::kSeqOffset;
}  // namespace

std::optional<PacketHeader> peek_header(std::string_view bytes) {
    if (bytes.size() < kHeaderSize) return std::nullopt;
    return PacketHeader{header_length(bytes.data()), static_cast<std::uint8_t>(bytes[kSeqOffset])};
}

std::optional<PacketView> inspect_packet(std::string_view bytes) {
    auto h = peek_header(bytes);
    if (!h) return std::nullopt;
    std::string_view body = bytes.substr(kHeaderSize);
    return PacketView{*h, body.substr(0, std::min<std::size_t>(body.size(), h->length))};
}

// ---------------------------------------------------------------------------------------------- PacketFramer

void PacketFramer::feed(std::string_view bytes) {
    keep();
    compact();
    buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

void PacketFramer::lend(std::string_view bytes) {
    keep();
    if (pos_ < buf_.size()) {  // the start of a packet is buffered: the rest joins it
        feed(bytes);
        return;
    }
    buf_.clear();
    pos_ = 0;
    lent_ = bytes;
    lending_ = true;
}

void PacketFramer::keep() {
    if (!lending_) return;
    lending_ = false;
    buf_.assign(lent_.begin(), lent_.end());  // buf_ was empty
    pos_ = 0;
    lent_ = {};
}

void PacketFramer::compact() {
    if (pos_ == 0) return;
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
}

Result<bool> PacketFramer::check_header(const PacketHeader& h, std::size_t assembled_so_far) {
    if (check_ == SequenceCheck::strict && h.seq != expected_seq_) return ParseError::malformed;
    // Checked against the header alone so a hostile length is refused before its body is buffered.
    if (assembled_so_far + h.length > max_payload_) return ParseError::too_large;
    return true;
}

Result<std::optional<Frame>> PacketFramer::next() {
    if (error_) return *error_;
    if (!assembled_.empty() && assembled_complete_) {
        assembled_.clear();
        assembled_complete_ = false;
    }
    for (;;) {
        std::string_view avail = available();
        auto h = peek_header(avail);
        if (!h) return std::optional<Frame>{};
        if (auto ok = check_header(*h, assembled_.size()); !ok) {
            error_ = ok.error();
            return *error_;
        }
        if (avail.size() < kHeaderSize + h->length) return std::optional<Frame>{};
        std::string_view body = avail.substr(kHeaderSize, h->length);
        if (lending_)
            lent_.remove_prefix(kHeaderSize + h->length);
        else
            pos_ += kHeaderSize + h->length;
        ++expected_seq_;
        if (!in_payload_) first_seq_ = h->seq;
        if (!h->continued() && !in_payload_) return std::optional<Frame>{Frame{body, h->seq, h->seq}};
        // A multi-packet payload is the one case that copies: parsers need it contiguous.
        in_payload_ = true;
        assembled_.insert(assembled_.end(), body.begin(), body.end());
        if (!h->continued()) {
            in_payload_ = false;
            assembled_complete_ = true;
            std::string_view whole(reinterpret_cast<const char*>(assembled_.data()), assembled_.size());
            return std::optional<Frame>{Frame{whole, first_seq_, h->seq}};
        }
    }
}

// --------------------------------------------------------------------------------------------- PacketScanner

Result<ScanStep> PacketScanner::step(std::string_view chunk) {
    if (error_) return *error_;
    if (chunk.empty()) return ScanStep{};
    if (header_fill_ < kHeaderSize) return step_header(chunk);
    return step_body(chunk);
}

Result<ScanStep> PacketScanner::step_header(std::string_view chunk) {
    std::size_t n = std::min(chunk.size(), kHeaderSize - header_fill_);
    std::memcpy(header_buf_.data() + header_fill_, chunk.data(), n);
    header_fill_ += n;
    ScanStep s;
    s.consumed = n;
    if (header_fill_ < kHeaderSize) return s;

    current_ = *peek_header(std::string_view(header_buf_.data(), kHeaderSize));
    if (check_ == SequenceCheck::strict && current_.seq != expected_seq_) {
        error_ = ParseError::malformed;
        return *error_;
    }
    if (!in_continuation_) {
        head_ = PayloadHead{};
        head_.first_seq = current_.seq;
    }
    if (head_.length + current_.length > max_payload_) {
        error_ = ParseError::too_large;
        return *error_;
    }
    ++expected_seq_;
    head_.length += current_.length;
    body_left_ = current_.length;
    s.packet_start = current_;
    if (body_left_ == 0) finish_packet(s);
    return s;
}

ScanStep PacketScanner::step_body(std::string_view chunk) {
    std::size_t n = std::min(chunk.size(), body_left_);
    std::size_t room = kPayloadHeadBytes - head_.head_size;
    std::size_t copy = std::min(room, n);
    std::memcpy(head_.bytes.data() + head_.head_size, chunk.data(), copy);
    head_.head_size += copy;
    body_left_ -= n;
    ScanStep s;
    s.consumed = n;
    if (body_left_ == 0) finish_packet(s);
    return s;
}

void PacketScanner::finish_packet(ScanStep& s) {
    header_fill_ = 0;
    in_continuation_ = current_.continued();
    if (!in_continuation_) s.payload_end = head_;
}

}  // namespace sluice::protocol
