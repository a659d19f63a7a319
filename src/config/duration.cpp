#include "config/duration.hpp"

#include <charconv>
#include <cstdint>
#include <limits>

namespace b2w::config {
namespace {

bool parse_count(std::string_view digits, std::uint64_t& out) {
  if (digits.empty()) return false;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  return ec == std::errc() && ptr == digits.data() + digits.size();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text, std::chrono::milliseconds bare_unit,
                                                        std::string& error) {
  text = trim(text);
  std::size_t digits_end = 0;
  while (digits_end < text.size() && text[digits_end] >= '0' && text[digits_end] <= '9') ++digits_end;
  std::uint64_t count = 0;
  if (!parse_count(text.substr(0, digits_end), count)) {
    error = "expected a duration such as 500ms, 30s, 15m, 1h or 7d, got \"" + std::string(text) + "\"";
    return std::nullopt;
  }
  const std::string_view unit = text.substr(digits_end);
  std::uint64_t unit_ms = 0;
  if (unit.empty())
    unit_ms = static_cast<std::uint64_t>(bare_unit.count());
  else if (unit == "ms")
    unit_ms = 1;
  else if (unit == "s")
    unit_ms = 1000;
  else if (unit == "m")
    unit_ms = 60'000;
  else if (unit == "h")
    unit_ms = 3'600'000;
  else if (unit == "d")
    unit_ms = 86'400'000;
  else {
    error = "unknown duration unit \"" + std::string(unit) + "\" (use ms, s, m, h or d)";
    return std::nullopt;
  }
  // Ten years is far beyond any sensible setting and keeps arithmetic far from overflow.
  constexpr std::uint64_t kMaxMs = 10ULL * 365 * 86'400'000;
  if (count > kMaxMs / unit_ms) {
    error = "duration \"" + std::string(text) + "\" is too large";
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(count * unit_ms));
}

std::optional<std::uint64_t> parse_byte_size(std::string_view text, std::string& error) {
  text = trim(text);
  std::size_t digits_end = 0;
  while (digits_end < text.size() && text[digits_end] >= '0' && text[digits_end] <= '9') ++digits_end;
  std::uint64_t count = 0;
  if (!parse_count(text.substr(0, digits_end), count)) {
    error = "expected a size in bytes such as 1048576, 512KiB or 1MiB, got \"" + std::string(text) + "\"";
    return std::nullopt;
  }
  const std::string_view unit = text.substr(digits_end);
  std::uint64_t mult = 0;
  if (unit.empty() || unit == "B")
    mult = 1;
  else if (unit == "KiB" || unit == "KB" || unit == "k")
    mult = 1024;
  else if (unit == "MiB" || unit == "MB" || unit == "m")
    mult = 1024 * 1024;
  else if (unit == "GiB" || unit == "GB")
    mult = 1024ULL * 1024 * 1024;
  else {
    error = "unknown size unit \"" + std::string(unit) + "\" (use B, KiB, MiB or GiB)";
    return std::nullopt;
  }
  if (count > std::numeric_limits<std::uint64_t>::max() / mult) {
    error = "size \"" + std::string(text) + "\" is too large";
    return std::nullopt;
  }
  return count * mult;
}

std::string format_duration(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms % 86'400'000 == 0 && ms != 0) return std::to_string(ms / 86'400'000) + "d";
  if (ms % 3'600'000 == 0 && ms != 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0 && ms != 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace b2w::config
