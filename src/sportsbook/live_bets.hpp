#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "domain/money.hpp"
#include "sportsbook/changes.hpp"
#include "store/db/database.hpp"
#include "util/awaitable.hpp"

namespace b2w::sportsbook {

// Finishes in-play bets (issue 22) once their acceptance delay is over: each pending bet is accepted (open, at
// the odds its policy takes now) or rejected with a reason and its stake returned (domain::judge_pending_bet).
// The bets wait in the database, so any task finishes them, exactly once: a round claims due bets with
// FOR UPDATE SKIP LOCKED (another task's claim is skipped) and applies each one's move from the bet table
// (domain/bet_states), conditional on the bet still being pending, with its ledger posting in the same transaction.
class LiveBets {
 public:
  // `changes`, when given, is told of each bet accepted (open) or rejected, after the commit (the live push).
  LiveBets(store::Database& db, domain::Kobo max_payout, ChangeListener* changes = nullptr, std::size_t batch = 100)
      : db_(db), max_payout_(max_payout), changes_(changes), batch_(batch) {}

  // One transaction: up to `batch` due bets (or only `bet_id`, if due) finished; how many.
  Awaitable<std::int64_t> finish_due(std::optional<std::string> bet_id = std::nullopt);
  // Every `interval`, the due bets, batch after batch until none is left. Errors wait for the next round.
  Awaitable<void> run(std::chrono::milliseconds interval);

  // The placing task also checks its own bet right when its delay ends, on `executor` (the control thread's;
  // given before serving): without it, a bet waits up to a worker interval more. Whichever of the two comes
  // first finishes the bet; the other finds it no longer pending. Lost with the task, which the worker covers.
  void schedule_on(boost::asio::any_io_executor executor);
  void schedule(std::string bet_id, std::int64_t accept_at);

 private:
  store::Database& db_;
  domain::Kobo max_payout_;
  ChangeListener* changes_;
  std::size_t batch_;
  std::mutex executor_mutex_;
  std::optional<boost::asio::any_io_executor> executor_;
};

}  // namespace b2w::sportsbook
