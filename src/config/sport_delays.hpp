#pragma once
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace b2w::config {

// LIVE_BET_DELAY_BY_SPORT: "football:5,tennis:3" (sport names as on events, whole seconds 0 to 60); nullopt
// when malformed. Empty text: no sport of its own.
std::optional<std::map<std::string, std::chrono::seconds>> parse_delays_by_sport(std::string_view text);

}  // namespace b2w::config
