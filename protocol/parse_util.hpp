#pragma once
// Small helpers shared by parsers, so every parser classifies failures the same way.

#include "protocol/byte_reader.hpp"
#include "protocol/result.hpp"

namespace sluice::protocol {

inline constexpr std::uint8_t kLenencInvalid = 0xFF;

// Why a lenenc read just failed: a NULL/0xFF marker cannot start an integer (malformed); anything else means
// the bytes ran out.
inline ParseError lenenc_failure(const ByteReader& r) {
    auto p = r.peek();
    return (p == kLenencNull || p == kLenencInvalid) ? ParseError::malformed : ParseError::truncated;
}

}  // namespace sluice::protocol
