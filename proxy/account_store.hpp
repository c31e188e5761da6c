#pragma once
// TEMPORARY (uncommitted) stand-in until the accounts branch lands.
#include <functional>
#include <memory>
#include "proxy/accounts.hpp"
#include "proxy/config.hpp"
namespace sluice::proxy {
class AccountStore {
public:
    AccountStore(const UsersConfig& u, std::vector<health::BackendSpec>, const health::MonitorSettings&) {
        auto t = std::make_shared<AccountTable>();
        for (auto& c : u.list) {
            Account a; a.user = c.name; a.host = c.host; a.from_config = true;
            if (!c.password.empty()) a.stored_hash = protocol::auth::native_stored_hash(c.password);
            a.backend_user = c.backend_user; a.backend_password = c.backend_password;
            t->list.push_back(a);
        }
        t_ = t;
    }
    void start() {}
    std::shared_ptr<const AccountTable> current() const { return t_; }
    void request_refresh() { for (auto& l : ls_) l(); }
    void add_listener(std::function<void()> f) { ls_.push_back(f); }
private:
    std::shared_ptr<const AccountTable> t_;
    std::vector<std::function<void()>> ls_;
};
}
