#include "domain/betting.hpp"

#include <array>
#include <limits>
#include <utility>

namespace b2w::domain {
namespace {

constexpr std::array<std::pair<LegResult, std::string_view>, 4> kLegNames{{
    {LegResult::open, "open"},
    {LegResult::won, "won"},
    {LegResult::lost, "lost"},
    {LegResult::void_, "void"},
}};

constexpr std::array<std::pair<BetStatus, std::string_view>, 6> kBetNames{{
    {BetStatus::open, "open"},
    {BetStatus::won, "won"},
    {BetStatus::lost, "lost"},
    {BetStatus::void_, "void"},
    {BetStatus::pending, "pending"},
    {BetStatus::rejected, "rejected"},
}};

}  // namespace

std::string_view to_string(LegResult r) {
  for (const auto& [value, name] : kLegNames)
    if (value == r) return name;
  return kLegNames.front().second;  // unreachable: every value is in the table
}

std::optional<LegResult> parse_leg_result(std::string_view text) {
  for (const auto& [value, name] : kLegNames)
    if (name == text) return value;
  return std::nullopt;
}

std::string_view to_string(BetStatus s) {
  for (const auto& [value, name] : kBetNames)
    if (value == s) return name;
  return kBetNames.front().second;  // unreachable: every value is in the table
}

std::optional<BetStatus> parse_bet_status(std::string_view text) {
  for (const auto& [value, name] : kBetNames)
    if (name == text) return value;
  return std::nullopt;
}

std::optional<OddsChange> parse_odds_change(std::string_view t) {
  if (t == "none") return OddsChange::none;
  if (t == "higher") return OddsChange::higher;
  if (t == "any") return OddsChange::any;
  return std::nullopt;
}

std::optional<Odds> accepted_odds(Odds requested, Odds current, OddsChange policy) {
  if (current == requested) return current;
  if (policy == OddsChange::any) return current;
  if (policy == OddsChange::higher && current > requested) return current;
  return std::nullopt;
}

BetOutcome settle(Kobo stake, const std::vector<Leg>& legs) {
  bool open = false;
  std::vector<Odds> won;
  for (const auto& leg : legs) {
    if (leg.result == LegResult::lost) return {BetStatus::lost, 0};
    if (leg.result == LegResult::open) open = true;
    if (leg.result == LegResult::won) won.push_back(leg.odds);
  }
  if (open || legs.empty()) return {BetStatus::open, 0};
  if (won.empty()) return {BetStatus::void_, stake};
  // Never capped here: placement refused any bet whose full payout exceeds the limit, and
  // void legs only lower it.
  return {BetStatus::won, payout(stake, won, std::numeric_limits<std::int64_t>::max()).value()};
}

}  // namespace b2w::domain
