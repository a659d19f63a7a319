#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/betting.hpp"
#include "domain/live_betting.hpp"
#include "store/db/database.hpp"

// The bets and bet_legs tables: every statement on them is here, and each table's rows are read into
// its struct in one place (store/bets.cpp).
namespace b2w::store {

struct BetLeg {
  std::string selection_id;
  std::string market_id;
  std::string event_id;
  domain::Odds odds = 0;
  domain::LegResult status = domain::LegResult::open;  // its selection's result once recorded
};

struct Bet {
  std::string id;
  std::string user_id;
  std::string idempotency_key;
  std::string request_hash;  // of the request that placed it: a retry with the same key must send the same
  domain::BetStatus status = domain::BetStatus::open;
  domain::Kobo stake = 0;
  std::string total_odds;
  domain::Kobo potential_payout = 0;
  std::optional<domain::Kobo> payout;  // once settled
  std::int64_t created_at = 0;
  std::optional<std::int64_t> settled_at;  // settled or rejected
  // In play (pending, then open or rejected): when its acceptance delay ends, the bettor's odds policy
  // (judged again then) and, if rejected, why.
  std::optional<std::int64_t> accept_at;
  std::optional<domain::OddsChange> odds_change;
  std::optional<domain::RejectReason> reject_reason;
  std::vector<BetLeg> legs;  // in slip order
};

// A bet that settlement closes: its final status and what the wallet receives.
struct BetClosing {
  std::string bet_id;
  domain::BetStatus status;
  domain::Kobo payout;
};

// What a market's open bets stand to cost: per selection, the open bets with an open leg on it, their stakes and
// what they pay if it wins (an accumulator counts in full: the most it can pay, should its other legs win too).
struct SelectionLiability {
  std::string selection_id;
  std::string name;
  domain::Odds odds = 0;
  std::int64_t open_bets = 0;
  domain::Kobo open_stakes = 0;
  domain::Kobo payout_if_wins = 0;
};
struct MarketLiability {
  std::int64_t open_bets = 0;                  // with an open leg in the market
  domain::Kobo open_stakes = 0;                // their stakes
  std::vector<SelectionLiability> selections;  // in the market's order
};

class BetRepository {
 public:
  explicit BetRepository(Database& db) : db_(db) {}

  // In the caller's transaction.

  // The bet and its legs, sent with the next statement or the COMMIT (deferred): a bet with the same
  // (user, idempotency key) fails there, on the unique constraint bets_idempotency_key.
  static Awaitable<void> insert(Tx& tx, const Bet& bet);
  // Up to `limit` bets with an open leg in the market, locked (FOR UPDATE) in id order; without their legs.
  static Awaitable<std::vector<Bet>> lock_with_open_leg(Tx& tx, const std::string& market_id, std::size_t limit);
  // The bets' open legs whose selection has a result take it.
  static Awaitable<void> resolve_open_legs(Tx& tx, const std::vector<std::string>& bet_ids);
  // The legs of the given bets, by bet id.
  static Awaitable<std::unordered_map<std::string, std::vector<BetLeg>>> legs_of(
      Tx& tx, const std::vector<std::string>& bet_ids);
  // Closes the bets, each conditional on still being open (the transaction fails and rolls back
  // otherwise: a bet is settled once). Rides with the next statement or the COMMIT.
  static Awaitable<void> close(Tx& tx, const std::vector<BetClosing>& closings, std::int64_t now);

  // Pending bets (in play) whose delay ended by `now`, locked (FOR UPDATE SKIP LOCKED: another task's claim
  // is skipped, not waited for), due first, at most `limit`; with their legs. `only` limits it to one bet.
  static Awaitable<std::vector<Bet>> claim_due(Tx& tx, std::int64_t now, std::size_t limit,
                                               std::optional<std::string> only = std::nullopt);
  // pending -> open at the odds each leg takes now (in leg order), with the payout they make; conditional on
  // still being pending (the transaction fails otherwise). Rides with the next statement or the COMMIT.
  static Awaitable<void> accept(Tx& tx, const Bet& bet, const std::vector<domain::Odds>& odds,
                                const std::string& total_odds, domain::Kobo potential_payout);
  // pending -> rejected with its reason, conditional on still being pending.
  static Awaitable<void> reject(Tx& tx, const std::string& bet_id, domain::RejectReason reason, std::int64_t now);

  // Outside a transaction; each bet with its legs.

  Awaitable<std::optional<Bet>> find(std::string user_id, std::string bet_id);
  Awaitable<std::optional<Bet>> find_by_key(std::string user_id, std::string idempotency_key);
  // Newest first, optionally of one status; `after` is the (created_at, id) of the last bet seen.
  Awaitable<std::vector<Bet>> list(std::string user_id, std::optional<domain::BetStatus> status, int limit,
                                   std::optional<std::pair<std::int64_t, std::string>> after);
  // The market's open exposure (open bets only; pending in-play bets are not accepted yet).
  Awaitable<MarketLiability> market_liability(std::string market_id);

 private:
  Awaitable<std::vector<Bet>> with_legs(std::vector<Bet> bets);

  Database& db_;
};

}  // namespace b2w::store
