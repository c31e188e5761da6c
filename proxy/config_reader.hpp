#pragma once
// A strict reader over one YAML mapping: every getter names the key it reads, so that finish() can report
// keys nobody asked for, and every failure carries the file, the line and the dotted key path.
// Failures are thrown as ConfigFailure; only the loader catches them (start-up and reload, never the data
// path).

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sluice::proxy {

struct ConfigFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class MapReader {
  public:
    // `node` must be a mapping (or null, read as an empty mapping); `path` is its dotted location ("" = top).
    MapReader(const YAML::Node& node, std::string path, const std::string& source);

    std::string string(std::string_view key, std::string def);
    std::string required_string(std::string_view key);
    bool boolean(std::string_view key, bool def);
    std::int64_t integer(std::string_view key, std::int64_t def, std::int64_t min, std::int64_t max);
    std::uint16_t port(std::string_view key, std::optional<std::uint16_t> def);
    std::chrono::milliseconds duration(std::string_view key, std::chrono::milliseconds def,
                                       std::chrono::milliseconds min);
    std::uint64_t size(std::string_view key, std::uint64_t def, std::uint64_t min);
    // One of `choices`, case-insensitive, returned lower-case.
    std::string choice(std::string_view key, std::string def,
                       std::initializer_list<std::string_view> choices);

    // A nested mapping or sequence (marked as known); nullopt when absent.
    std::optional<YAML::Node> child(std::string_view key);
    // Reports the first key that no getter asked for, and keys given twice.
    void finish();

    std::string path_of(std::string_view key) const;
    [[noreturn]] void fail_at(const YAML::Node& at, std::string_view key, const std::string& what) const;
    [[noreturn]] void fail_here(std::string_view key, const std::string& what) const;

  private:
    // The scalar text of `key`, or nullopt when absent; fails when it is a mapping or sequence.
    std::optional<std::string> scalar(std::string_view key, const char* expected, YAML::Node* at = nullptr);

    YAML::Node node_;
    std::string path_;
    const std::string& source_;
    std::set<std::string, std::less<>> known_;
};

// "FILE:LINE: path: what" for a node (LINE is 1-based).
std::string located(const std::string& source, const YAML::Node& at, std::string_view path,
                    std::string_view what);

}  // namespace sluice::proxy
