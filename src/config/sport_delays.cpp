#include "config/sport_delays.hpp"

#include <charconv>

namespace b2w::config {
namespace {

constexpr long kMaxDelaySeconds = 60;

}  // namespace

std::optional<std::map<std::string, std::chrono::seconds>> parse_delays_by_sport(std::string_view text) {
  std::map<std::string, std::chrono::seconds> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (comma != std::string_view::npos && text.empty()) return std::nullopt;  // a trailing comma
    const auto colon = item.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    const auto number = item.substr(colon + 1);
    long seconds = -1;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), seconds);
    if (number.empty() || ec != std::errc{} || end != number.data() + number.size() || seconds < 0 ||
        seconds > kMaxDelaySeconds)
      return std::nullopt;
    if (!out.emplace(std::string(item.substr(0, colon)), std::chrono::seconds(seconds)).second) return std::nullopt;
  }
  return out;
}

}  // namespace b2w::config
