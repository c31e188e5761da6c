#pragma once
// The outcome of decoding: a complete value or the reason there is none, never a half-filled object.

#include <cstdint>
#include <string_view>
#include <utility>
#include <variant>

namespace sluice::protocol {

enum class ParseError : std::uint8_t {
    truncated,    // the buffer ends before the value does
    malformed,    // the bytes cannot be this message
    unsupported,  // well-formed but something Sluice does not speak
    too_large,    // a length beyond what the caller allows
};

constexpr std::string_view to_string(ParseError e) {
    switch (e) {
        case ParseError::truncated: return "truncated";
        case ParseError::malformed: return "malformed";
        case ParseError::unsupported: return "unsupported";
        case ParseError::too_large: return "too large";
    }
    return "unknown";
}

template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::move(value)) {}
    Result(ParseError e) : v_(e) {}

    bool ok() const { return std::holds_alternative<T>(v_); }
    explicit operator bool() const { return ok(); }
    ParseError error() const { return std::get<ParseError>(v_); }
    T& value() & { return std::get<T>(v_); }
    const T& value() const& { return std::get<T>(v_); }
    T&& value() && { return std::get<T>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

  private:
    std::variant<T, ParseError> v_;
};

}  // namespace sluice::protocol
