#include "domain/betting.hpp"

#include <limits>

namespace b2w::domain {

std::optional<LegResult> parse_leg_result(std::string_view t) {
  if (t == "open") return LegResult::open;
  if (t == "won") return LegResult::won;
  if (t == "lost") return LegResult::lost;
  if (t == "void") return LegResult::void_;
  return std::nullopt;
}

std::string_view to_string(LegResult r) {
  switch (r) {
    case LegResult::open: return "open";
    case LegResult::won: return "won";
    case LegResult::lost: return "lost";
    case LegResult::void_: return "void";
  }
  return "open";
}

std::string_view to_string(BetStatus s) {
  switch (s) {
    case BetStatus::open: return "open";
    case BetStatus::won: return "won";
    case BetStatus::lost: return "lost";
    case BetStatus::void_: return "void";
  }
  return "open";
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
