#include "store/bet_postings.hpp"

namespace b2w::store {

using domain::BetPosting;

LedgerTransfer bet_stake_transfer(const std::string& bet_id, const std::string& user_id, domain::Kobo stake) {
  return move_money("stake:" + bet_id, std::string(domain::ledger_kind(BetPosting::stake)), bet_id,
                    wallet_account(user_id), bets_in_play_account(user_id), stake);
}

LedgerTransfer bet_closing_transfer(const std::string& bet_id, const std::string& user_id, domain::Kobo stake,
                                    domain::BetStatus status, domain::Kobo payout) {
  const auto in_play = bets_in_play_account(user_id);
  const auto wallet = wallet_account(user_id);
  const std::string id = "settle:" + bet_id;
  switch (status) {
    case domain::BetStatus::lost:
      return move_money(id, std::string(domain::ledger_kind(BetPosting::loss)), bet_id, in_play, kHouseAccount, stake);
    case domain::BetStatus::void_:
      return move_money(id, std::string(domain::ledger_kind(BetPosting::refund)), bet_id, in_play, wallet, stake);
    case domain::BetStatus::won: {
      const std::string kind(domain::ledger_kind(BetPosting::payout));
      // A small stake at short odds can win exactly its stake back (floor): the house then has no part.
      if (payout == stake) return move_money(id, kind, bet_id, in_play, wallet, stake);
      LedgerTransfer t{id, kind, bet_id, {}};
      t.postings.push_back({in_play, -stake});
      t.postings.push_back({kHouseAccount, stake - payout});
      t.postings.push_back({wallet, payout});
      return t;
    }
    case domain::BetStatus::rejected:
      return move_money(id, std::string(domain::ledger_kind(BetPosting::rejection)), bet_id, in_play, wallet, stake);
    case domain::BetStatus::open:
    case domain::BetStatus::pending:
      break;
  }
  throw QueryError("bet " + bet_id + ": an open or pending bet has no closing transfer");
}

}  // namespace b2w::store
