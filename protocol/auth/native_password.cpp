#include "protocol/auth/native_password.hpp"

#include <algorithm>

namespace sluice::protocol::auth {

namespace {
constexpr char kHashMarker = '*';
constexpr std::size_t kSha1Size = std::tuple_size_v<Sha1Digest>;
}  // namespace

Sha1Digest native_stage1(std::string_view password) {
    return sha1({password});
}

Sha1Digest native_stored_hash(std::string_view password) {
    return sha1({view(native_stage1(password))});
}

std::string native_scramble_from_stage1(const Sha1Digest& stage1, std::string_view seed) {
    Sha1Digest stored = sha1({view(stage1)});
    Sha1Digest mask = sha1({seed, view(stored)});
    return std::string(view(*xor_bytes(view(stage1), mask)));
}

std::string native_scramble(std::string_view password, std::string_view seed) {
    if (password.empty()) return {};
    return native_scramble_from_stage1(native_stage1(password), seed);
}

std::optional<Sha1Digest> native_recover_stage1(std::string_view response, std::string_view seed,
                                                const Sha1Digest& stored) {
    Sha1Digest mask = sha1({seed, view(stored)});
    auto stage1 = xor_bytes(response, mask);
    if (!stage1) return std::nullopt;
    if (!equal_digests(view(sha1({view(*stage1)})), view(stored))) return std::nullopt;
    return stage1;
}

bool native_verify(std::string_view response, std::string_view seed, const Sha1Digest& stored) {
    return native_recover_stage1(response, seed, stored).has_value();
}

std::optional<Sha1Digest> parse_native_hash(std::string_view text) {
    if (text.empty() || text.front() != kHashMarker) return std::nullopt;
    auto raw = from_hex(text.substr(1), kSha1Size);
    if (!raw) return std::nullopt;
    Sha1Digest d{};
    std::copy(raw->begin(), raw->end(), d.begin());
    return d;
}

std::string format_native_hash(const Sha1Digest& stored) {
    return std::string(1, kHashMarker) + to_hex_upper(view(stored));
}

}  // namespace sluice::protocol::auth
