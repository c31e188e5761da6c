#include "protocol/auth/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

namespace sluice::protocol::auth {

namespace {
// OpenSSL 3 looks an algorithm up again on every EVP_DigestInit_ex given EVP_sha1() (an "implicit fetch":
// about a third of a login's CPU in Sluice). Fetched once; EVP_MD objects may be shared between threads.
const EVP_MD* fetched(const char* name) {
    return EVP_MD_fetch(nullptr, name, nullptr);
}

template <std::size_t N>
std::array<std::uint8_t, N> digest(const EVP_MD* md, std::initializer_list<std::string_view> parts) {
    std::array<std::uint8_t, N> out{};
    // One context per thread, reset by every init: no allocation per digest.
    thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                             &EVP_MD_CTX_free);
    unsigned int len = 0;
    // These calls fail only on allocation failure or a missing algorithm; both are unrecoverable at start-up
    // level, and a zero digest can never verify, so failure degrades to "authentication fails".
    if (!md || !ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) return out;
    for (auto p : parts)
        if (EVP_DigestUpdate(ctx.get(), p.data(), p.size()) != 1) return {};
    if (EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1 || len != N) return {};
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

Sha1Digest sha1(std::initializer_list<std::string_view> parts) {
    static const EVP_MD* const md = fetched("SHA1");
    return digest<20>(md, parts);
}
Sha256Digest sha256(std::initializer_list<std::string_view> parts) {
    static const EVP_MD* const md = fetched("SHA256");
    return digest<32>(md, parts);
}

bool equal_digests(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string to_hex_upper(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(kDigits[c >> 4]);
        out.push_back(kDigits[c & 0x0F]);
    }
    return out;
}

std::optional<std::string> from_hex(std::string_view hex, std::size_t n) {
    if (hex.size() != 2 * n) return std::nullopt;
    std::string out(n, '\0');
    for (std::size_t i = 0; i < n; ++i) {
        int hi = hex_value(hex[2 * i]);
        int lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out[i] = static_cast<char>(hi << 4 | lo);
    }
    return out;
}

}  // namespace sluice::protocol::auth
