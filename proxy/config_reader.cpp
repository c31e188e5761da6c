#include "proxy/config_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "proxy/config_values.hpp"

namespace sluice::proxy {

namespace {

const char* kind_name(const YAML::Node& n) {
    switch (n.Type()) {
        case YAML::NodeType::Map: return "a mapping";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Null: return "nothing";
        default: return "a value";
    }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

template <class T>
T value_or_fail(const MapReader& r, const YAML::Node& at, std::string_view key, Parsed<T> p) {
    if (auto* why = std::get_if<std::string>(&p)) r.fail_at(at, key, *why);
    return std::get<T>(p);
}

}  // namespace

std::string located(const std::string& source, const YAML::Node& at, std::string_view path,
                    std::string_view what) {
    int line = at.Mark().line >= 0 ? at.Mark().line + 1 : 1;
    return fmt::format("{}:{}: {}: {}", source, line, path.empty() ? "(top level)" : path, what);
}

MapReader::MapReader(const YAML::Node& node, std::string path, const std::string& source)
    : node_(node), path_(std::move(path)), source_(source) {
    if (!node_.IsMap() && !node_.IsNull())
        throw ConfigFailure(
            located(source_, node_, path_, fmt::format("expected a mapping, got {}", kind_name(node_))));
}

std::string MapReader::path_of(std::string_view key) const {
    return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

void MapReader::fail_at(const YAML::Node& at, std::string_view key, const std::string& what) const {
    throw ConfigFailure(located(source_, at, path_of(key), what));
}

void MapReader::fail_here(std::string_view key, const std::string& what) const {
    throw ConfigFailure(located(source_, node_, key.empty() ? path_ : path_of(key), what));
}

std::optional<std::string> MapReader::scalar(std::string_view key, const char* expected, YAML::Node* at) {
    known_.emplace(key);
    if (!node_.IsMap()) return std::nullopt;
    YAML::Node v = std::as_const(node_)[std::string(key)];  // const: a lookup must not insert
    if (!v.IsDefined()) return std::nullopt;
    if (at) *at = v;
    if (v.IsNull()) return std::string();
    if (!v.IsScalar()) fail_at(v, key, fmt::format("expected {}, got {}", expected, kind_name(v)));
    return v.Scalar();
}

std::string MapReader::string(std::string_view key, std::string def) {
    auto s = scalar(key, "a string");
    return s ? *s : def;
}

std::string MapReader::required_string(std::string_view key) {
    YAML::Node at;
    auto s = scalar(key, "a string", &at);
    if (!s) fail_here(key, "is required");
    if (s->empty()) fail_at(at, key, "must not be empty");
    return *s;
}

bool MapReader::boolean(std::string_view key, bool def) {
    YAML::Node at;
    auto s = scalar(key, "true or false", &at);
    if (!s) return def;
    return value_or_fail(*this, at, key, parse_bool(*s));
}

std::int64_t MapReader::integer(std::string_view key, std::int64_t def, std::int64_t min, std::int64_t max) {
    YAML::Node at;
    auto s = scalar(key, "an integer", &at);
    if (!s) return def;
    std::int64_t v = value_or_fail(*this, at, key, parse_int(*s));
    if (v < min || v > max) fail_at(at, key, fmt::format("{} is out of range ({}..{})", v, min, max));
    return v;
}

std::uint16_t MapReader::port(std::string_view key, std::optional<std::uint16_t> def) {
    YAML::Node at;
    auto s = scalar(key, "a port number", &at);
    if (!s) {
        if (!def) fail_here(key, "is required");
        return *def;
    }
    auto p = parse_int(*s);
    auto* n = std::get_if<std::int64_t>(&p);
    if (!n || *n < 1 || *n > 65535) fail_at(at, key, fmt::format("{} is not a port", *s));
    return static_cast<std::uint16_t>(*n);
}

std::chrono::milliseconds MapReader::duration(std::string_view key, std::chrono::milliseconds def,
                                              std::chrono::milliseconds min) {
    YAML::Node at;
    auto s = scalar(key, "a duration", &at);
    if (!s) return def;
    auto d = value_or_fail(*this, at, key, parse_duration(*s));
    if (d < min) fail_at(at, key, fmt::format("{} is shorter than the minimum of {}ms", *s, min.count()));
    return d;
}

std::uint64_t MapReader::size(std::string_view key, std::uint64_t def, std::uint64_t min) {
    YAML::Node at;
    auto s = scalar(key, "a size", &at);
    if (!s) return def;
    auto v = value_or_fail(*this, at, key, parse_size(*s));
    if (v < min) fail_at(at, key, fmt::format("{} is smaller than the minimum of {} bytes", *s, min));
    return v;
}

std::string MapReader::choice(std::string_view key, std::string def,
                              std::initializer_list<std::string_view> choices) {
    YAML::Node at;
    auto s = scalar(key, "a string", &at);
    if (!s) return def;
    std::string v = *s;
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
    for (std::string_view c : choices)
        if (v == c) return v;
    fail_at(at, key, fmt::format("'{}' is not one of: {}", *s, fmt::join(choices, ", ")));
}

std::optional<YAML::Node> MapReader::child(std::string_view key) {
    known_.emplace(key);
    if (!node_.IsMap()) return std::nullopt;
    YAML::Node v = std::as_const(node_)[std::string(key)];  // const: a lookup must not insert
    if (!v.IsDefined() || v.IsNull()) return std::nullopt;
    return v;
}

void MapReader::finish() {
    if (!node_.IsMap()) return;
    std::map<std::string, int> seen;
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        YAML::Node k = it->first;  // a copy: the iterator hands out temporaries
        std::string key = k.IsScalar() ? k.Scalar() : std::string("?");
        if (++seen[key] > 1) fail_at(k, key, "is given twice");
        if (known_.count(key)) continue;
        std::string hint;
        std::size_t best = 3;
        for (const std::string& candidate : known_) {
            std::size_t d = edit_distance(key, candidate);
            if (d < best) {
                best = d;
                hint = fmt::format(" (did you mean '{}'?)", candidate);
            }
        }
        fail_at(k, key, "unknown key" + hint);
    }
}

}  // namespace sluice::proxy
