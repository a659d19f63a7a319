#include "domain/sportsbook.hpp"

#include <array>

#include "domain/text.hpp"

namespace b2w::domain {
namespace {

constexpr std::array kSports{
    Sport{"football", "Football"},         Sport{"basketball", "Basketball"}, Sport{"tennis", "Tennis"},
    Sport{"boxing", "Boxing"},             Sport{"mma", "MMA"},               Sport{"cricket", "Cricket"},
    Sport{"rugby", "Rugby"},               Sport{"ice_hockey", "Ice Hockey"}, Sport{"american_football", "American Football"},
    Sport{"baseball", "Baseball"},         Sport{"volleyball", "Volleyball"}, Sport{"table_tennis", "Table Tennis"},
    Sport{"esports", "Esports"},
};

}  // namespace

std::span<const Sport> sports() {
  return kSports;
}

const Sport* find_sport(std::string_view key) {
  for (const auto& s : kSports)
    if (s.key == key) return &s;
  return nullptr;
}

bool is_event_status(std::string_view s) {
  return s == "scheduled" || s == "live" || s == "finished" || s == "cancelled";
}

bool event_transition_allowed(std::string_view from, std::string_view to) {
  if (from == to) return true;  // a no-op is not an error
  if (from == "scheduled") return to == "live" || to == "finished" || to == "cancelled";
  if (from == "live") return to == "finished" || to == "cancelled";
  return false;
}

bool is_market_status(std::string_view s) {
  return s == "open" || s == "suspended" || s == "settled" || s == "void";
}

bool market_is_final(std::string_view s) {
  return s == "settled" || s == "void";
}

std::optional<std::string> clean_name(std::string_view text, std::size_t max) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::nullopt;
  text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
  if (display_text_problem(text, max)) return std::nullopt;
  return std::string(text);
}

}  // namespace b2w::domain
