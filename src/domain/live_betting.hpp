#pragma once
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/betting.hpp"
#include "domain/sportsbook.hpp"

// In-play bets (issue 22): a bet with a leg on a live market waits an acceptance delay, pending, and is then
// accepted or rejected on the state of its markets and odds at that moment. Pure rules, exhaustively tested.
namespace b2w::domain {

// Why a pending bet was rejected ("market_suspended", "market_closed", "odds_changed"), and back.
enum class RejectReason { market_suspended, market_closed, odds_changed };
std::string_view to_string(RejectReason reason);
std::optional<RejectReason> parse_reject_reason(std::string_view text);

// A leg of a pending bet as its market stands when the delay is over.
struct PendingLeg {
  Odds odds;  // taken at placement
  Odds current;
  MarketStatus market_status;
  EventStatus event_status;
};

struct Acceptance {
  std::optional<RejectReason> rejected;  // nullopt: accepted
  std::vector<Odds> odds;                // accepted: the odds each leg takes (policy applied), in leg order
};

// Accepted when every leg's market is open on a scheduled or live event and every leg's current odds pass
// `policy` against the odds taken at placement (domain::accepted_odds: the same rule as placement). Otherwise
// rejected, the most lasting reason first: a closed market (settled, void, or its event over), then a
// suspended one, then moved odds.
Acceptance judge_pending_bet(const std::vector<PendingLeg>& legs, OddsChange policy);

// The delay of a bet whose live legs are on these sports: the longest of theirs (a sport not listed takes
// `fallback`; config::parse_delays_by_sport reads LIVE_BET_DELAY_BY_SPORT into `by_sport`).
std::chrono::seconds acceptance_delay(const std::vector<std::string>& live_leg_sports, std::chrono::seconds fallback,
                                      const std::map<std::string, std::chrono::seconds>& by_sport);

}  // namespace b2w::domain
