#include "proxy/host_match.hpp"

#include <algorithm>

namespace sluice::proxy {

namespace {

constexpr char kAnyRun = '%';
constexpr char kAnyOne = '_';
constexpr char kEscape = '\\';

// HOSTNAME_LENGTH: mysql.global_priv.Host is CHAR(255). MariaDB's magic number depends on it.
constexpr std::uint64_t kMaxHostLength = 255;
constexpr std::uint64_t kWildcardCap = 31;

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// One decimal part of an IPv4 address, 0..255; advances `s` past it.
std::optional<std::uint32_t> parse_octet(std::string_view& s) {
    std::size_t n = 0;
    std::uint32_t v = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
        v = v * 10 + static_cast<std::uint32_t>(s[n] - '0');
        if (v > 255) return std::nullopt;
        ++n;
    }
    if (n == 0) return std::nullopt;
    s.remove_prefix(n);
    return v;
}

// get_magic_sort() for one 'h' pattern (sql/acl_sort.h). N: literal characters, M: '_', K: runs of '%',
// P: literal characters before the first wildcard, L: how many characters the '%'s can absorb. The
// number orders patterns by how many strings they match; MariaDB sorts by its complement, descending,
// which is this number ascending.
std::uint64_t magic_specificity(std::string_view pat) {
    std::uint64_t n = 0, m = 0, k = 0, p = 0;
    for (std::size_t i = 0; i < pat.size(); ++i) {
        if (pat[i] == kAnyRun) {
            if (k == 0 && m == 0) p = n;
            ++k;
            while (i + 1 < pat.size() && pat[i + 1] == kAnyRun) ++i;
            continue;
        }
        if (pat[i] == kAnyOne) {
            if (k == 0 && m == 0) p = n;
            ++m;
            continue;
        }
        if (pat[i] == kEscape && i + 1 < pat.size()) ++i;
        ++n;
    }
    k = std::min(k, kWildcardCap);
    m = std::min(m, kWildcardCap);
    std::uint64_t l = (k != 0 && n + m < kMaxHostLength) ? kMaxHostLength - n - m : 0;
    const std::uint64_t d = kMaxHostLength + 1;
    const std::uint64_t d1 = std::min<std::uint64_t>(d, 32);
    if (l > m) return (((l * 2 + 1) * d + k) * d1 + m) * d + p;
    return (((m * 2 + 0) * d + l) * d1 + k) * d + p;
}

}  // namespace

std::optional<std::uint32_t> parse_ipv4(std::string_view s) {
    std::uint32_t ip = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (s.empty() || s.front() != '.') return std::nullopt;
            s.remove_prefix(1);
        }
        auto octet = parse_octet(s);
        if (!octet) return std::nullopt;
        ip = (ip << 8) | *octet;
    }
    if (!s.empty()) return std::nullopt;
    return ip;
}

std::string normalize_client_ip(std::string_view ip) {
    constexpr std::string_view kMapped = "::ffff:";
    if (ip.size() > kMapped.size()) {
        std::string prefix(ip.substr(0, kMapped.size()));
        std::transform(prefix.begin(), prefix.end(), prefix.begin(), lower);
        std::string_view rest = ip.substr(kMapped.size());
        if (prefix == kMapped && parse_ipv4(rest)) return std::string(rest);
    }
    return std::string(ip);
}

HostPattern::HostPattern(std::string_view pattern) : text_(pattern.empty() ? "%" : pattern) {
    for (std::size_t i = 0; i < text_.size(); ++i) {
        char c = text_[i];
        if (c == kAnyRun)
            tokens_.push_back({TokenKind::any_run, c});
        else if (c == kAnyOne)
            tokens_.push_back({TokenKind::any_one, c});
        else if (c == kEscape && i + 1 < text_.size())
            tokens_.push_back({TokenKind::literal, lower(text_[++i])});
        else
            tokens_.push_back({TokenKind::literal, lower(c)});
    }
    // MariaDB ignores a zero mask ("a net mask of 0.0.0.0 is not allowed"): the text is then a plain
    // pattern, which matches no address since it holds a '/'.
    if (auto slash = text_.find('/'); slash != std::string::npos) {
        auto ip = parse_ipv4(std::string_view(text_).substr(0, slash));
        auto mask = parse_ipv4(std::string_view(text_).substr(slash + 1));
        if (ip && mask && *mask != 0) netmask_ = Netmask{*ip, *mask};
    }
    specificity_ = magic_specificity(text_);
}

bool HostPattern::matches(std::string_view client_ip) const {
    if (netmask_) {
        if (auto ip = parse_ipv4(client_ip)) return (*ip & netmask_->mask) == netmask_->ip;
    }
    return wildcard_matches(client_ip);
}

// LIKE matching with one backtrack point: on a mismatch after a '%', let that '%' absorb one more
// character and retry. Linear in practice, quadratic at worst; host patterns are short.
bool HostPattern::wildcard_matches(std::string_view s) const {
    const std::size_t n = tokens_.size();
    std::size_t t = 0, i = 0;
    std::size_t run = n, resume = 0;  // the last '%' seen and where its absorbed text ends
    while (i < s.size()) {
        if (t < n && (tokens_[t].kind == TokenKind::any_one ||
                      (tokens_[t].kind == TokenKind::literal && tokens_[t].ch == lower(s[i])))) {
            ++t;
            ++i;
        } else if (t < n && tokens_[t].kind == TokenKind::any_run) {
            run = t++;
            resume = i;
        } else if (run != n) {
            t = run + 1;
            i = ++resume;
        } else {
            return false;
        }
    }
    while (t < n && tokens_[t].kind == TokenKind::any_run) ++t;
    return t == n;
}

}  // namespace sluice::proxy
