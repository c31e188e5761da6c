#include "protocol/auth/caching_sha2.hpp"

namespace sluice::protocol::auth {

Sha256Digest sha2_stage1(std::string_view password) {
    return sha256({password});
}

Sha256Digest sha2_cached_hash(std::string_view password) {
    return sha256({view(sha2_stage1(password))});
}

std::string sha2_scramble_from_stage1(const Sha256Digest& stage1, std::string_view seed) {
    Sha256Digest cached = sha256({view(stage1)});
    // Note the order: the hash comes before the seed here, the reverse of mysql_native_password.
    Sha256Digest mask = sha256({view(cached), seed});
    return std::string(view(*xor_bytes(view(stage1), mask)));
}

std::string sha2_scramble(std::string_view password, std::string_view seed) {
    if (password.empty()) return {};
    return sha2_scramble_from_stage1(sha2_stage1(password), seed);
}

std::optional<Sha256Digest> sha2_recover_stage1(std::string_view response, std::string_view seed,
                                                const Sha256Digest& cached) {
    Sha256Digest mask = sha256({view(cached), seed});
    auto stage1 = xor_bytes(response, mask);
    if (!stage1) return std::nullopt;
    if (!equal_digests(view(sha256({view(*stage1)})), view(cached))) return std::nullopt;
    return stage1;
}

bool sha2_verify(std::string_view response, std::string_view seed, const Sha256Digest& cached) {
    return sha2_recover_stage1(response, seed, cached).has_value();
}

}  // namespace sluice::protocol::auth
