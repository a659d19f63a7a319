#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/betting.hpp"
#include "sportsbook/changes.hpp"
#include "store/bets.hpp"
#include "store/db/database.hpp"
#include "util/awaitable.hpp"

namespace b2w::sportsbook {

// A bet and its legs are the repository's rows.
using store::Bet;
using store::BetLeg;

struct BetSlip {
  domain::Kobo stake = 0;
  std::vector<std::pair<std::string, domain::Odds>> legs;  // selection id, the odds the bettor saw
  domain::OddsChange odds_change = domain::OddsChange::none;
};

struct BettingLimits {
  domain::Kobo min_stake;
  domain::Kobo max_stake;
  domain::Kobo max_payout;
  int max_legs;
  domain::Kobo max_payout_per_day;
};

// In-play bets' acceptance delay (LIVE_BET_DELAY_SECONDS, LIVE_BET_DELAY_BY_SPORT).
struct LiveBetDelays {
  std::chrono::seconds fallback{5};
  std::map<std::string, std::chrono::seconds> by_sport;
};

struct Placed {
  Bet bet;
  bool replayed = false;  // the Idempotency-Key was used before with this same request
};

// Bet placement and the bettor's own bets. Throws domain::Error with the documented codes.
class Bets {
 public:
  // `changes`, when given, is told of each bet placed, after its commit (the live push).
  Bets(store::Database& db, BettingLimits limits, LiveBetDelays delays = {}, ChangeListener* changes = nullptr)
      : db_(db), bets_(db), limits_(limits), delays_(std::move(delays)), changes_(changes) {}

  // Every check runs in the transaction that moves the stake from the wallet to bets in play; the
  // market rows are share-locked, so a suspension or settlement that commits first is seen, and one
  // that commits later waits for this bet. One bet per (user, idempotency key): a retry with the same
  // request gets the bet back; a refused request leaves nothing behind, so its retry is judged afresh.
  // A bet with a leg on a live market is placed pending (stake taken all the same), due after the longest
  // acceptance delay of its live legs' sports; sportsbook/live_bets accepts or rejects it then.
  Awaitable<Placed> place(std::string user_id, BetSlip slip, std::string idempotency_key, std::string request_hash);

  Awaitable<std::optional<Bet>> find(std::string user_id, std::string bet_id);
  // Newest first; `after` is the (created_at, id) of the last bet seen.
  Awaitable<std::vector<Bet>> list(std::string user_id, std::optional<domain::BetStatus> status, int limit,
                                   std::optional<std::pair<std::int64_t, std::string>> after);

 private:
  Awaitable<Bet> place_in_transaction(const std::string& user_id, const BetSlip& slip, const std::string& key,
                                      const std::string& request_hash);
  Awaitable<std::optional<Placed>> replay(const std::string& user_id, const std::string& key,
                                          const std::string& request_hash);

  store::Database& db_;
  store::BetRepository bets_;
  BettingLimits limits_;
  LiveBetDelays delays_;
  ChangeListener* changes_;
};

}  // namespace b2w::sportsbook
