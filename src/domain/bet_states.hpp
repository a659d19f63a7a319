#pragma once
#include <optional>
#include <string_view>

#include "domain/betting.hpp"
#include "domain/state_machine.hpp"

// A bet's states and the ledger posting each move makes: placed (the stake moves from the wallet to
// bets in play), then settled once: won (payout), lost (the stake goes to the house) or void (refund).
// A bet with an in-play leg is placed pending (the stake held the same way); after its acceptance delay it
// is accepted (open, no money moves) or rejected (the stake goes back to the wallet).
namespace b2w::domain {

enum class BetEvent { placed, placed_in_play, accepted, rejected, won, lost, voided };

// Ledger ids: "stake:<bet id>" for the stake, "settle:<bet id>" for whichever closes it (one id: a bet
// is closed once: settled or rejected); the closing transaction's kind tells which.
enum class BetPosting { stake, payout, loss, refund, rejection };

using BetTransitions = TransitionTable<BetStatus, BetEvent, BetPosting>;
const BetTransitions& bet_transitions();

// The event that settles an open bet into `status` (won, lost or void).
BetEvent settling_event(BetStatus status);
// The ledger transaction kind of each posting ("bet_stake", "bet_payout", "bet_lost", "bet_refund", "bet_rejected"),
// and back.
std::string_view ledger_kind(BetPosting posting);
std::optional<BetPosting> parse_bet_ledger_kind(std::string_view kind);

}  // namespace b2w::domain
