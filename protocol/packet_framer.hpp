#pragma once
// De-framing of a byte stream into logical payloads. Two tools for two callers:
//  - PacketFramer owns a buffer, accepts arbitrary partial reads and yields whole logical payloads, joining
//    the 16 MiB - 1 continuation packets, so parsers only ever see complete messages. Whole packets in a
//    lent chunk are read in place; only a partial packet's bytes are copied, to wait for the rest.
//  - PacketScanner owns nothing: a forwarder that passes bytes through unchanged feeds it each chunk and
//    learns where packets and logical payloads end, their headers and the first bytes of each payload,
//    without copying the body or allocating.
// Both check sequence ids and a caller-given maximum payload size, the latter from the header alone so an
// oversized payload is refused before its body arrives.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "protocol/packet.hpp"
#include "protocol/result.hpp"

namespace sluice::protocol {

namespace detail {
inline std::uint32_t header_length(const char* p) {
    return static_cast<std::uint32_t>(static_cast<std::uint8_t>(p[0])) |
           static_cast<std::uint32_t>(static_cast<std::uint8_t>(p[1])) << 8 |
           static_cast<std::uint32_t>(static_cast<std::uint8_t>(p[2])) << 16;
}
inline constexpr std::size_t kSeqOffset = 3;  // after the 3-byte length
}  // namespace detail

struct PacketHeader {
    std::uint32_t length = 0;  // payload bytes in this packet (not the logical payload)
    std::uint8_t seq = 0;

    // A packet of exactly kMaxPayload bytes is continued by the next packet of the same logical payload.
    bool continued() const { return length == kMaxPayload; }
    bool operator==(const PacketHeader&) const = default;
};

// Reads a packet header from the start of `bytes`; nullopt when fewer than kHeaderSize bytes are present.
std::optional<PacketHeader> peek_header(std::string_view bytes);

// One packet as seen in a caller-owned buffer, possibly incomplete.
struct PacketView {
    PacketHeader header;
    std::string_view available;  // the payload bytes present so far (a prefix of the packet payload)

    bool complete() const { return available.size() == header.length; }
    std::size_t wire_size() const { return kHeaderSize + header.length; }
};

// Inspects the packet at the start of `bytes` without copying; nullopt when the header is not all there.
std::optional<PacketView> inspect_packet(std::string_view bytes);

// Whether sequence ids are checked. Off is for streams whose ids another component already vouches for.
enum class SequenceCheck : std::uint8_t { strict, off };

// A whole logical payload. The view points into the framer and stays valid until the next feed() or next().
struct Frame {
    std::string_view payload;
    std::uint8_t first_seq = 0;
    std::uint8_t last_seq = 0;  // differs from first_seq only for payloads of kMaxPayload bytes or more
};

class PacketFramer {
  public:
    explicit PacketFramer(std::size_t max_payload, SequenceCheck check = SequenceCheck::strict)
        : max_payload_(max_payload), check_(check) {}

    // Appends the next bytes of the stream, however they were split by the transport.
    void feed(std::string_view bytes);
    // The same without copying: `bytes` must stay valid until keep(), which copies what next() has not taken
    // yet. For a caller that takes every payload it can from each read: its whole packets are never copied.
    // (With bytes of an unfinished packet already buffered, lend() copies like feed().)
    void lend(std::string_view bytes);
    void keep();

    // The next whole payload, nullopt if more bytes are needed, or an error: sequence out of order
    // (malformed) or a payload beyond the maximum (too_large). Errors are sticky: a stream that lost its
    // framing cannot be resynchronised.
    Result<std::optional<Frame>> next();

    // A new limit for the payloads still to come (e.g. the login's small one gives way to max_packet_size).
    void set_max_payload(std::size_t max_payload) { max_payload_ = max_payload; }

    // The sequence id the next packet must carry. A client stream restarts at 0 with every command.
    void expect_sequence(std::uint8_t seq) { expected_seq_ = seq; }
    std::uint8_t expected_sequence() const { return expected_seq_; }

    std::size_t buffered() const { return available().size(); }
    // False while the packets of a 16 MiB+ payload are being joined: a new command cannot start there.
    bool at_payload_boundary() const { return !in_payload_; }

  private:
    Result<bool> check_header(const PacketHeader& h, std::size_t assembled_so_far);
    void compact();
    std::string_view available() const {
        if (lending_) return lent_;
        return {reinterpret_cast<const char*>(buf_.data() + pos_), buf_.size() - pos_};
    }

    std::size_t max_payload_;
    SequenceCheck check_;
    std::uint8_t expected_seq_ = 0;
    std::vector<std::uint8_t> buf_;
    std::size_t pos_ = 0;    // start of unconsumed bytes in buf_
    std::string_view lent_;  // lend(): the caller's bytes not taken yet (buf_ is then empty)
    bool lending_ = false;
    std::vector<std::uint8_t> assembled_;  // a multi-packet payload being joined
    bool in_payload_ = false;              // assembled_ holds the first packets of an unfinished payload
    bool assembled_complete_ = false;      // assembled_ was handed out whole and is cleared on the next call
    std::uint8_t first_seq_ = 0;
    std::optional<ParseError> error_;
};

// The first bytes of a logical payload, copied into a fixed array: enough for every header a response tracker
// or router looks at (OK/EOF status flags, command byte, PREPARE_OK, ERR code and state, a column count).
inline constexpr std::size_t kPayloadHeadBytes = 64;

struct PayloadHead {
    std::array<char, kPayloadHeadBytes> bytes{};
    std::size_t head_size = 0;  // bytes valid in `bytes`
    std::size_t length = 0;     // total logical payload length
    std::uint8_t first_seq = 0;

    std::string_view head() const { return {bytes.data(), head_size}; }
};

// What one PacketScanner::step() found.
struct ScanStep {
    std::size_t consumed = 0;                  // bytes of the chunk this step accounted for
    std::optional<PacketHeader> packet_start;  // set when a packet header completed in this step
    std::optional<PayloadHead> payload_end;    // set when a logical payload ended in this step
};

// A logical payload held whole, in one packet, in the chunk given to PacketScanner::whole().
struct WholePayload {
    std::size_t consumed = 0;  // header and payload
    std::string_view head;     // the first min(length, kPayloadHeadBytes) bytes of the payload, in the chunk
    std::size_t length = 0;
    std::uint8_t seq = 0;
};

class PacketScanner {
  public:
    explicit PacketScanner(std::size_t max_payload, SequenceCheck check = SequenceCheck::strict)
        : max_payload_(max_payload), check_(check) {}

    // The fast path for the common case, a result row or an OK: between packets, with the next packet all in
    // `chunk` and not continued by another. Accounts for it in one go without copying (same checks as
    // step()); nullopt when that is not the case, and step() takes over.
    // The tightest loop, for result rows: accounts for whole packets at the start of `chunk` (same checks as
    // whole()) for as long as `take(head, length)` accepts them, where `head` is the payload's first
    // min(length, kPayloadHeadBytes) bytes. Returns the bytes consumed; it stops, consuming nothing more, at
    // the first packet that is incomplete, continued, faulty (whole() or step() then reports it) or refused.
    template <class Take>
    std::size_t take_whole(std::string_view chunk, Take&& take) {
        if (error_ || header_fill_ != 0 || body_left_ != 0 || in_continuation_) return 0;
        // Members in locals: a store to a byte-sized member may alias the chunk's bytes, which would make the
        // compiler reload every member on each packet.
        const char* p = chunk.data();
        const char* end = p + chunk.size();
        const std::size_t largest = std::min(max_payload_, kMaxPayload - 1);
        const bool strict = check_ == SequenceCheck::strict;
        std::uint8_t seq = expected_seq_;
        while (end - p >= static_cast<std::ptrdiff_t>(kHeaderSize)) {
            std::size_t length = detail::header_length(p);
            if (length > largest || static_cast<std::size_t>(end - p) - kHeaderSize < length) break;
            if (strict && static_cast<std::uint8_t>(p[detail::kSeqOffset]) != seq) break;
            if (!take(std::string_view(p + kHeaderSize, std::min(length, kPayloadHeadBytes)), length)) break;
            ++seq;
            p += kHeaderSize + length;
        }
        expected_seq_ = seq;
        return static_cast<std::size_t>(p - chunk.data());
    }

    Result<std::optional<WholePayload>> whole(std::string_view chunk) {
        if (error_) return *error_;
        if (header_fill_ != 0 || body_left_ != 0 || in_continuation_ || chunk.size() < kHeaderSize)
            return std::optional<WholePayload>();
        std::size_t length = detail::header_length(chunk.data());
        if (length >= kMaxPayload || chunk.size() - kHeaderSize < length)
            return std::optional<WholePayload>();
        auto seq = static_cast<std::uint8_t>(chunk[detail::kSeqOffset]);
        if (check_ == SequenceCheck::strict && seq != expected_seq_) {
            error_ = ParseError::malformed;
            return *error_;
        }
        if (length > max_payload_) {
            error_ = ParseError::too_large;
            return *error_;
        }
        ++expected_seq_;
        return std::optional<WholePayload>(
            WholePayload{kHeaderSize + length, chunk.substr(kHeaderSize, std::min(length, kPayloadHeadBytes)),
                         length, seq});
    }

    // Accounts for a prefix of `chunk` (at most up to the end of the current packet) and reports what ended.
    // Call repeatedly on the rest of the chunk; a step on a non-empty chunk always consumes at least one
    // byte.
    Result<ScanStep> step(std::string_view chunk);

    void expect_sequence(std::uint8_t seq) { expected_seq_ = seq; }
    std::uint8_t expected_sequence() const { return expected_seq_; }
    // True between packets of a logical payload boundary: the forwarder may switch direction/backend here.
    bool at_payload_boundary() const { return header_fill_ == 0 && body_left_ == 0 && !in_continuation_; }

  private:
    Result<ScanStep> step_header(std::string_view chunk);
    ScanStep step_body(std::string_view chunk);
    void finish_packet(ScanStep& s);

    std::size_t max_payload_;
    SequenceCheck check_;
    std::uint8_t expected_seq_ = 0;
    std::array<char, kHeaderSize> header_buf_{};
    std::size_t header_fill_ = 0;
    PacketHeader current_{};
    std::size_t body_left_ = 0;
    bool in_continuation_ = false;  // the current logical payload spans further packets
    PayloadHead head_;
    std::optional<ParseError> error_;
};

}  // namespace sluice::protocol
