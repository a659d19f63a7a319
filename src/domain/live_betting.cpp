#include "domain/live_betting.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace b2w::domain {
namespace {

constexpr std::array<std::pair<RejectReason, std::string_view>, 3> kReasons{{
    {RejectReason::market_suspended, "market_suspended"},
    {RejectReason::market_closed, "market_closed"},
    {RejectReason::odds_changed, "odds_changed"},
}};

bool closed(const PendingLeg& leg) {
  const bool event_on = leg.event_status == EventStatus::scheduled || leg.event_status == EventStatus::live;
  return !event_on || leg.market_status == MarketStatus::settled || leg.market_status == MarketStatus::void_;
}

}  // namespace

std::string_view to_string(RejectReason reason) {
  for (const auto& [value, name] : kReasons)
    if (value == reason) return name;
  return kReasons.front().second;  // unreachable: every value is in the table
}

std::optional<RejectReason> parse_reject_reason(std::string_view text) {
  for (const auto& [value, name] : kReasons)
    if (name == text) return value;
  return std::nullopt;
}

Acceptance judge_pending_bet(const std::vector<PendingLeg>& legs, OddsChange policy) {
  if (std::any_of(legs.begin(), legs.end(), closed)) return {RejectReason::market_closed, {}};
  if (std::any_of(legs.begin(), legs.end(),
                  [](const PendingLeg& l) { return l.market_status == MarketStatus::suspended; }))
    return {RejectReason::market_suspended, {}};
  Acceptance out;
  for (const auto& leg : legs) {
    const auto taken = accepted_odds(leg.odds, leg.current, policy);
    if (!taken) return {RejectReason::odds_changed, {}};
    out.odds.push_back(*taken);
  }
  return out;
}

std::chrono::seconds acceptance_delay(const std::vector<std::string>& live_leg_sports, std::chrono::seconds fallback,
                                      const std::map<std::string, std::chrono::seconds>& by_sport) {
  std::chrono::seconds longest{0};
  for (const auto& sport : live_leg_sports) {
    const auto it = by_sport.find(sport);
    longest = std::max(longest, it == by_sport.end() ? fallback : it->second);
  }
  return longest;
}

}  // namespace b2w::domain
