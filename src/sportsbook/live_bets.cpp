#include "sportsbook/live_bets.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

#include "domain/bet_states.hpp"
#include "domain/live_betting.hpp"
#include "domain/odds.hpp"
#include "observability/log.hpp"
#include "observability/sentry.hpp"
#include "store/bet_postings.hpp"
#include "store/bets.hpp"
#include "store/catalog.hpp"
#include "store/ledger.hpp"

namespace b2w::sportsbook {

using store::Bet;
using store::Tx;

namespace {

// The bet's legs as their markets stand now (share-locked: a suspension or an odds change committing
// meanwhile is ordered before or after this decision, as for a placement).
Awaitable<std::vector<domain::PendingLeg>> legs_now(Tx& tx, const Bet& bet) {
  std::vector<std::string> ids;
  for (const auto& l : bet.legs) ids.push_back(l.selection_id);
  const auto offers = co_await store::CatalogRepository::lock_offers(tx, ids);
  std::vector<domain::PendingLeg> legs;
  for (const auto& l : bet.legs) {
    const auto it = offers.find(l.selection_id);
    if (it == offers.end()) throw store::QueryError("bet " + bet.id + ": a leg's selection is gone");
    legs.push_back(domain::PendingLeg{l.odds, it->second.odds, it->second.market_status, it->second.event_status});
  }
  co_return legs;
}

struct Decision {
  domain::BetEvent event;
  std::optional<domain::RejectReason> reason;
  std::vector<domain::Odds> odds;
  std::string total_odds;
  domain::Kobo potential_payout = 0;
};

Decision decide(const Bet& bet, const std::vector<domain::PendingLeg>& legs, domain::Kobo max_payout) {
  const auto judged = domain::judge_pending_bet(legs, bet.odds_change.value_or(domain::OddsChange::none));
  if (judged.rejected) return {domain::BetEvent::rejected, judged.rejected, {}, {}, 0};
  // Odds taken higher may pay more than the maximum a bet may pay: refused as an odds move would be.
  const auto payout = domain::payout(bet.stake, judged.odds, max_payout);
  if (!payout) return {domain::BetEvent::rejected, domain::RejectReason::odds_changed, {}, {}, 0};
  return {domain::BetEvent::accepted, std::nullopt, judged.odds, domain::product_text(judged.odds), *payout};
}

// Its move from the table (pending only: the claim locked it pending), with the posting the move names.
Awaitable<void> apply(Tx& tx, const Bet& bet, const Decision& d, std::int64_t now) {
  const auto* move = domain::bet_transitions().find(bet.status, d.event);
  if (!move) throw store::QueryError("bet " + bet.id + ": no such move from " + std::string(to_string(bet.status)));
  if (d.event == domain::BetEvent::accepted) {
    co_await store::BetRepository::accept(tx, bet, d.odds, d.total_odds, d.potential_payout);
  } else {
    co_await store::BetRepository::reject(tx, bet.id, d.reason.value_or(domain::RejectReason::market_closed), now);
  }
  if (move->posting) {
    const auto transfer = store::bet_closing_transfer(bet.id, bet.user_id, bet.stake, move->to, 0);
    co_await store::LedgerRepository::post(tx, transfer);
  }
}

}  // namespace

Awaitable<std::int64_t> LiveBets::finish_due(std::optional<std::string> bet_id) {
  std::vector<std::pair<Bet, Decision>> done;
  const auto n = co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<std::int64_t> {
    done.clear();
    const auto now = store::now_micros();
    const auto bets = co_await store::BetRepository::claim_due(tx, now, batch_, bet_id);
    for (const auto& bet : bets) {
      const auto legs = co_await legs_now(tx, bet);
      auto decision = decide(bet, legs, max_payout_);
      co_await apply(tx, bet, decision, now);
      done.emplace_back(bet, std::move(decision));
    }
    co_return static_cast<std::int64_t>(bets.size());
  });
  std::vector<ClosedBet> outcomes;
  for (const auto& [bet, d] : done) {
    if (d.reason)
      log::info("in-play bet rejected").str("bet_id", bet.id).str("reason", std::string(domain::to_string(*d.reason)));
    else
      log::info("in-play bet accepted").str("bet_id", bet.id).str("total_odds", d.total_odds);
    const auto status = d.reason ? domain::BetStatus::rejected : domain::BetStatus::open;
    outcomes.push_back(ClosedBet{bet.id, bet.user_id, status, 0});
  }
  if (changes_ && !outcomes.empty()) co_await changes_->bets_closed(std::move(outcomes));
  co_return n;
}

namespace {

// One round; false when it failed (logged by the caller: no co_await may sit in a catch block).
Awaitable<bool> finish_round(LiveBets& live, std::size_t batch, std::string& error) {
  try {
    for (;;) {
      const auto n = co_await live.finish_due();
      if (n < static_cast<std::int64_t>(batch)) break;
    }
    co_return true;
  } catch (const std::exception& e) {
    error = e.what();
    sentry::report({.type = sentry::type_name(e), .message = error, .component = "live_bets"});
  }
  co_return false;
}

}  // namespace

namespace {

// Waits for the bet's acceptance time, then tries to finish that one bet (once; the worker retries on failure).
Awaitable<void> finish_at(LiveBets& live, std::string bet_id, std::int64_t accept_at) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  // A little after accept_at: the claim compares accept_at with the database host's clock reading in this task.
  const auto wait = std::chrono::microseconds(std::max<std::int64_t>(0, accept_at - store::now_micros())) +
                    std::chrono::milliseconds(5);
  timer.expires_after(wait);
  auto [ec] = co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  if (ec) co_return;
  std::string error;
  const std::optional<std::string> only = std::move(bet_id);  // named: no conversion temporary into a coroutine
  try {
    const auto finished = co_await live.finish_due(only);
    (void)finished;
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (!error.empty()) log::warn("in-play bet check failed; the worker will finish it").str("error", error);
}

}  // namespace

void LiveBets::schedule_on(boost::asio::any_io_executor executor) {
  const std::lock_guard lock(executor_mutex_);
  executor_ = std::move(executor);
}

void LiveBets::schedule(std::string bet_id, std::int64_t accept_at) {
  std::optional<boost::asio::any_io_executor> executor;
  {
    const std::lock_guard lock(executor_mutex_);
    executor = executor_;
  }
  if (!executor) return;
  boost::asio::co_spawn(*executor, finish_at(*this, std::move(bet_id), accept_at), boost::asio::detached);
}

Awaitable<void> LiveBets::run(std::chrono::milliseconds interval) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    timer.expires_after(interval);
    auto [ec] = co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (ec) co_return;
    std::string error;
    const bool ok = co_await finish_round(*this, batch_, error);
    if (!ok) log::warn("in-play bet worker failed; retrying next round").str("error", error);
  }
}

}  // namespace b2w::sportsbook
