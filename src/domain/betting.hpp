#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "domain/money.hpp"
#include "domain/odds.hpp"

// Bet slips and settlement: pure rules, exhaustively tested.
namespace b2w::domain {

// A leg's status: open until its selection's result (won, lost or void, also a selection's result) is recorded.
enum class LegResult { open, won, lost, void_ };
// The wire and database names ("open", "won", "lost", "void"), and back.
std::string_view to_string(LegResult r);
std::optional<LegResult> parse_leg_result(std::string_view text);

// What a bettor accepts when the odds moved between reading and placing.
enum class OddsChange { none, higher, any };
std::optional<OddsChange> parse_odds_change(std::string_view text);

// The odds the bet takes for a leg, or nullopt when the move is not accepted.
std::optional<Odds> accepted_odds(Odds requested, Odds current, OddsChange policy);

struct Leg {
  Odds odds;
  LegResult result;
};

// pending: placed with an in-play leg, waiting for its acceptance delay (stake held); rejected: refused after
// the delay (stake returned). See domain/bet_states and domain/live_betting.
enum class BetStatus { open, won, lost, void_, pending, rejected };
// The wire and database names ("open", "won", "lost", "void", "pending", "rejected"), and back.
std::string_view to_string(BetStatus s);
std::optional<BetStatus> parse_bet_status(std::string_view text);

struct BetOutcome {
  BetStatus status;
  Kobo payout;  // what the wallet receives: winnings, the refunded stake, or 0
};

// A bet is lost as soon as any leg is lost; once every leg is resolved it is won, paying
// floor(stake x product of the won legs' odds) with void legs counting as 1.00, or void when
// every leg is void (the stake is refunded). Otherwise it stays open.
BetOutcome settle(Kobo stake, const std::vector<Leg>& legs);

}  // namespace b2w::domain
