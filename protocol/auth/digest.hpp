#pragma once
// SHA-1 / SHA-256 over a concatenation of byte strings, via OpenSSL EVP. The password plugins need nothing
// else.

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::protocol::auth {

using Sha1Digest = std::array<std::uint8_t, 20>;
using Sha256Digest = std::array<std::uint8_t, 32>;

Sha1Digest sha1(std::initializer_list<std::string_view> parts);
Sha256Digest sha256(std::initializer_list<std::string_view> parts);

template <std::size_t N>
std::string_view view(const std::array<std::uint8_t, N>& d) {
    return {reinterpret_cast<const char*>(d.data()), N};
}

// a XOR b over N bytes; nullopt when `a` is not exactly N bytes long.
template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> xor_bytes(std::string_view a,
                                                     const std::array<std::uint8_t, N>& b) {
    if (a.size() != N) return std::nullopt;
    std::array<std::uint8_t, N> out{};
    for (std::size_t i = 0; i < N; ++i)
        out[i] = static_cast<std::uint8_t>(static_cast<std::uint8_t>(a[i]) ^ b[i]);
    return out;
}

// Constant-time comparison, so verification time does not leak how many bytes matched.
bool equal_digests(std::string_view a, std::string_view b);

std::string to_hex_upper(std::string_view bytes);
// Decodes hex (either case) of exactly `n` bytes.
std::optional<std::string> from_hex(std::string_view hex, std::size_t n);

}  // namespace sluice::protocol::auth
