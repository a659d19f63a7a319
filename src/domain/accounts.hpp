#pragma once
#include <optional>
#include <string>
#include <string_view>

// Account input rules: pure functions, no I/O.
namespace b2w::domain {

// Trimmed and lower-cased; nullopt when it is not a plausible address.
std::optional<std::string> normalize_email(std::string_view raw);

// E.164. Nigerian local mobile numbers (0 + 10 digits: 070, 080, 081, 090, 091 ...)
// become +234...; "+<country><number>" with 8 to 15 digits is kept; spaces, dashes
// and parentheses are ignored. nullopt when it is not a phone number.
std::optional<std::string> normalize_phone(std::string_view raw);

// Length in Unicode code points of valid UTF-8 (bytes otherwise).
std::size_t utf8_length(std::string_view s);

}  // namespace b2w::domain
