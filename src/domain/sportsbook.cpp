#include "domain/sportsbook.hpp"

#include <array>
#include <utility>

#include "domain/text.hpp"

namespace b2w::domain {
namespace {

constexpr std::array kSports{
    Sport{"football", "Football"},
    Sport{"basketball", "Basketball"},
    Sport{"tennis", "Tennis"},
    Sport{"boxing", "Boxing"},
    Sport{"mma", "MMA"},
    Sport{"cricket", "Cricket"},
    Sport{"rugby", "Rugby"},
    Sport{"ice_hockey", "Ice Hockey"},
    Sport{"american_football", "American Football"},
    Sport{"baseball", "Baseball"},
    Sport{"volleyball", "Volleyball"},
    Sport{"table_tennis", "Table Tennis"},
    Sport{"esports", "Esports"},
};

using E = EventStatus;
using M = MarketStatus;

constexpr std::array<std::pair<E, std::string_view>, 4> kEventNames{{
    {E::scheduled, "scheduled"},
    {E::live, "live"},
    {E::finished, "finished"},
    {E::cancelled, "cancelled"},
}};

constexpr std::array<std::pair<M, std::string_view>, 4> kMarketNames{{
    {M::open, "open"},
    {M::suspended, "suspended"},
    {M::settled, "settled"},
    {M::void_, "void"},
}};

// The one name of each value of `table`, and back.
template <typename Enum, std::size_t N>
std::string_view name_in(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return table.front().second;  // unreachable: every value is in its table
}
template <typename Enum, std::size_t N>
std::optional<Enum> value_in(const std::array<std::pair<Enum, std::string_view>, N>& table, std::string_view text) {
  for (const auto& [v, name] : table)
    if (name == text) return v;
  return std::nullopt;
}

}  // namespace

std::span<const Sport> sports() {
  return kSports;
}

const Sport* find_sport(std::string_view key) {
  for (const auto& s : kSports)
    if (s.key == key) return &s;
  return nullptr;
}

std::string_view to_string(EventStatus status) {
  return name_in(kEventNames, status);
}
std::optional<EventStatus> parse_event_status(std::string_view text) {
  return value_in(kEventNames, text);
}

bool event_transition_allowed(EventStatus from, EventStatus to) {
  if (from == to) return true;  // a no-op is not an error
  switch (from) {
    case E::scheduled:
      return to == E::live || to == E::finished || to == E::cancelled;
    case E::live:
      return to == E::finished || to == E::cancelled;
    case E::finished:
    case E::cancelled:
      break;
  }
  return false;
}

bool event_is_over(EventStatus status) {
  return status == E::finished || status == E::cancelled;
}

std::string_view to_string(MarketStatus status) {
  return name_in(kMarketNames, status);
}
std::optional<MarketStatus> parse_market_status(std::string_view text) {
  return value_in(kMarketNames, text);
}

bool market_is_final(MarketStatus status) {
  return status == M::settled || status == M::void_;
}

std::optional<std::string> clean_name(std::string_view text, std::size_t max) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::nullopt;
  text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
  if (display_text_problem(text, max)) return std::nullopt;
  return std::string(text);
}

}  // namespace b2w::domain
