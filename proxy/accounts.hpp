#pragma once
// TEMPORARY (uncommitted) stand-in until the accounts branch lands.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include "protocol/auth/native_password.hpp"
namespace sluice::proxy {
enum class AuthPlugin : std::uint8_t { native_password, unsupported };
struct Account {
    std::string user, host;
    AuthPlugin plugin = AuthPlugin::native_password;
    std::string plugin_name;
    std::optional<protocol::auth::Sha1Digest> stored_hash;
    bool locked = false, from_config = false;
    std::string backend_user, backend_password;
};
class AccountTable {
public:
    std::vector<Account> list;
    const Account* match(std::string_view user, std::string_view) const {
        for (auto& a : list) if (a.user == user) return &a;
        return nullptr;
    }
};
}
