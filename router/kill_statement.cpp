#include "router/kill_statement.hpp"

#include <charconv>

#include "router/lexer.hpp"

namespace sluice::router {

namespace {

// ASCII only, without the locale: every COM_QUERY's first word passes through here.
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

class Words {
  public:
    explicit Words(std::string_view s) : s_(s) {}
    std::string_view next() {
        while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
        std::size_t start = pos_;
        while (pos_ < s_.size() && !is_space(s_[pos_]) && s_[pos_] != ';') ++pos_;
        return s_.substr(start, pos_ - start);
    }
    // Only spaces and semicolons remain.
    bool at_end() {
        while (pos_ < s_.size() && (is_space(s_[pos_]) || s_[pos_] == ';')) ++pos_;
        return pos_ == s_.size();
    }

  private:
    std::string_view s_;
    std::size_t pos_ = 0;
};

}  // namespace

std::optional<KillStatement> parse_kill(std::string_view sql) {
    Words w(sql);
    if (!iequals(w.next(), "KILL")) return std::nullopt;
    KillStatement k;
    std::string_view word = w.next();
    if (iequals(word, "HARD") || iequals(word, "SOFT")) {
        k.hard = iequals(word, "HARD");
        word = w.next();
    }
    if (iequals(word, "QUERY")) {
        k.query_only = true;
        word = w.next();
        if (iequals(word, "ID")) return std::nullopt;  // KILL QUERY ID names a query id, not a connection
    } else if (iequals(word, "CONNECTION")) {
        word = w.next();
    }
    auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), k.id);
    if (ec != std::errc() || ptr != word.data() + word.size() || word.empty()) return std::nullopt;
    if (!w.at_end()) return std::nullopt;
    return k;
}

}  // namespace sluice::router
