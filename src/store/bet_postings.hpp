#pragma once
#include <string>

#include "domain/bet_states.hpp"
#include "store/ledger.hpp"

namespace b2w::store {

// The ledger transfers of a bet (domain/bet_states), in one place for the sportsbook that posts them and
// for `ledger verify`, which checks every bet's entries against them.

// "stake:<bet>": the stake leaves the wallet for bets in play.
LedgerTransfer bet_stake_transfer(const std::string& bet_id, const std::string& user_id, domain::Kobo stake);

// "settle:<bet>", the one transfer that closes a bet: the stake leaves bets in play; the house keeps it
// (lost), pays the winnings (won: `payout` to the wallet, the house paying what exceeds the stake) or the
// wallet gets it back (void, and rejected: an in-play bet refused after its delay). `status` is won, lost,
// void or rejected.
LedgerTransfer bet_closing_transfer(const std::string& bet_id, const std::string& user_id, domain::Kobo stake,
                                    domain::BetStatus status, domain::Kobo payout);

}  // namespace b2w::store
