#pragma once
#include <string>
#include <vector>

#include "domain/betting.hpp"
#include "domain/money.hpp"
#include "store/bets.hpp"
#include "store/catalog.hpp"
#include "util/awaitable.hpp"

namespace b2w::sportsbook {

// A bet that settlement closed: whose it is and how it ended.
struct ClosedBet {
  std::string bet_id;
  std::string user_id;
  domain::BetStatus status;
  domain::Kobo payout;
};

// Told of each change after it committed (the live push, stream/). Every call is awaited by the
// service that made the change and never throws: a listener that fails logs and counts, and the
// change stands. The services take it as an optional pointer: without one they tell nobody.
class ChangeListener {
 public:
  virtual ~ChangeListener() = default;
  // Odds or status of a market (a settlement included); `odds` says which selection prices moved.
  virtual Awaitable<void> market_changed(const store::Market& market, bool odds) = 0;
  virtual Awaitable<void> event_changed(const store::Event& event) = 0;
  virtual Awaitable<void> bet_placed(const store::Bet& bet) = 0;
  virtual Awaitable<void> bets_closed(std::vector<ClosedBet> bets) = 0;
};

}  // namespace b2w::sportsbook
