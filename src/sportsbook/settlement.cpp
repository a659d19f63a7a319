#include "sportsbook/settlement.hpp"

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "domain/bet_states.hpp"
#include "domain/betting.hpp"
#include "domain/error.hpp"
#include "domain/sportsbook.hpp"
#include "observability/log.hpp"
#include "observability/metrics.hpp"
#include "store/audit.hpp"
#include "store/bet_postings.hpp"
#include "store/ledger.hpp"

namespace b2w::sportsbook {

using domain::Error;
using domain::ErrorKind;
using domain::LegResult;
using store::BetRepository;
using store::CatalogRepository;
using store::Tx;

namespace {

using Results = std::map<std::string, LegResult>;  // selection id -> its result

// Adds a detail for each result the request names for a selection the market does not have.
bool name_strangers(const std::vector<store::Selection>& selections, const SettleRequest& r, Error& error) {
  bool any = false;
  // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
  for (const auto& entry : r.results) {
    const std::string& id = entry.first;
    if (std::none_of(selections.begin(), selections.end(), [&](const store::Selection& s) { return s.id == id; })) {
      error.detail("results." + id, "is not a selection of this market");
      any = true;
    }
  }
  return any;
}

// What the request asks each selection's result to be; 422 naming every problem.
Results wanted_results(const std::vector<store::Selection>& selections, const SettleRequest& r) {
  Results wanted;
  if (r.void_market) {
    for (const auto& s : selections) wanted[s.id] = LegResult::void_;
    return wanted;
  }
  auto error = Error::validation("Name every selection of the market with won, lost or void");
  bool bad = false;
  for (const auto& s : selections) {
    const auto it = r.results.find(s.id);
    if (it == r.results.end()) {
      error.detail("results." + s.id, "is missing (" + s.name + ")");
      bad = true;
      continue;
    }
    const auto result = domain::parse_leg_result(it->second);
    if (!result || *result == LegResult::open) {
      error.detail("results." + s.id, "must be won, lost or void");
      bad = true;
    } else {
      wanted[s.id] = *result;
    }
  }
  bad = name_strangers(selections, r, error) || bad;
  if (bad) throw error;
  return wanted;
}

// Recording results twice is a no-op only when they are the same results.
void check_same_results(const std::vector<store::Selection>& selections, const Results& wanted) {
  for (const auto& s : selections)
    if (s.result != wanted.at(s.id))
      throw Error(ErrorKind::conflict, "already_settled", "This market was settled with other results");
}

std::vector<std::string> ids_of(const std::vector<store::Bet>& bets) {
  std::vector<std::string> ids;
  for (const auto& b : bets) ids.push_back(b.id);
  return ids;
}

// What closes in a batch: the bets settled by their legs as recorded, and the ledger transfer of each.
struct Closings {
  std::vector<store::BetClosing> bets;
  std::vector<store::LedgerTransfer> transfers;
};

Closings closings(const std::vector<store::Bet>& bets,
                  const std::unordered_map<std::string, std::vector<store::BetLeg>>& legs) {
  Closings out;
  for (const auto& b : bets) {
    if (b.status != domain::BetStatus::open) continue;  // already lost on another leg
    std::vector<domain::Leg> judged;
    if (const auto it = legs.find(b.id); it != legs.end())
      for (const auto& l : it->second) judged.push_back(domain::Leg{l.odds, l.status});
    const auto outcome = domain::settle(b.stake, judged);
    // Only the table's moves out of open settle a bet (open stays open while a leg is unresolved).
    if (!domain::bet_transitions().find(domain::BetStatus::open, domain::settling_event(outcome.status))) continue;
    out.transfers.push_back(store::bet_closing_transfer(b.id, b.user_id, b.stake, outcome.status, outcome.payout));
    out.bets.push_back(store::BetClosing{b.id, outcome.status, outcome.payout});
  }
  return out;
}

}  // namespace

Awaitable<void> Settlement::record_results(std::string market_id, SettleRequest request, domain::Actor actor) {
  co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<void> {
    // Locking the market orders the settlement after any placement that share-locked it.
    const auto status = co_await CatalogRepository::lock_market(tx, market_id);
    if (!status) throw Error::not_found("No market with this id");
    const auto market = co_await CatalogRepository::market(tx, market_id);
    const auto& selections = market.value().selections;
    const auto wanted = wanted_results(selections, request);
    if (domain::market_is_final(*status)) {
      check_same_results(selections, wanted);
      co_return;  // the same settlement again: only unfinished legs (if a crash interrupted) remain
    }
    for (const auto& s : selections) co_await CatalogRepository::set_result(tx, s.id, wanted.at(s.id));
    const auto now = store::now_micros();
    const auto final_status = request.void_market ? domain::MarketStatus::void_ : domain::MarketStatus::settled;
    co_await CatalogRepository::set_market_status(tx, market_id, final_status, now);
    co_await store::SettlementRepository::add_pending(tx, market_id, now);
    co_await store::AuditRepository::append(tx, market_settled(actor, market_id, *status, final_status, wanted));
  });
}

Awaitable<Settled> Settlement::resolve(std::string market_id, std::size_t max_batches) {
  Settled out;
  const auto started = std::chrono::steady_clock::now();
  std::size_t batches = 0;
  for (; batches < max_batches; ++batches) {
    const auto n = co_await resolve_batch(market_id);
    if (n == 0) {
      // Results are recorded before legs are resolved and no bet joins a settled market: none left means done.
      co_await pending_.remove_pending(market_id);
      break;
    }
    out.bets_settled += n;
  }
  if (out.bets_settled > 0)
    log::info("market settled")
        .str("market_id", market_id)
        .num("bets", out.bets_settled)
        .num("batches", static_cast<std::int64_t>(batches))
        .num("ms",
             std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
  auto market = co_await catalog_.find_market(market_id);
  if (!market) throw Error::not_found("No market with this id");
  out.market = std::move(*market);
  co_return out;
}

Awaitable<std::vector<std::string>> Settlement::pending(std::chrono::microseconds age, std::size_t limit) {
  co_return co_await pending_.pending(store::now_micros() - age.count(), limit);
}

Awaitable<std::chrono::microseconds> Settlement::lag() {
  const auto oldest = co_await pending_.oldest_pending();
  if (!oldest) co_return std::chrono::microseconds{0};
  co_return std::chrono::microseconds{std::max<std::int64_t>(0, store::now_micros() - *oldest)};
}

Awaitable<std::int64_t> Settlement::resolve_batch(const std::string& market_id) {
  std::vector<ClosedBet> closed;
  struct Tally {
    std::int64_t bets = 0;
    std::int64_t staked = 0;
    std::int64_t paid = 0;
  } settled;
  const auto touched = co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<std::int64_t> {
    closed.clear();  // (a retried transaction starts over)
    settled = Tally{};
    const auto bets = co_await BetRepository::lock_with_open_leg(tx, market_id, batch_size_);
    if (bets.empty()) co_return 0;
    const auto ids = ids_of(bets);
    // Their open legs take their selections' results (the source of truth)...
    co_await BetRepository::resolve_open_legs(tx, ids);
    // ...and each bet is judged on its legs as recorded. (Judging on the selections directly could
    // count a result another market records between the two statements without resolving that
    // leg: the bet would then stay open with no open leg left for that market's settlement to find.)
    const auto legs = co_await BetRepository::legs_of(tx, ids);
    const auto closing = closings(bets, legs);
    if (!closing.bets.empty()) {
      // Conditional on every one of them still being open (they are locked): a bet is settled once.
      co_await BetRepository::close(tx, closing.bets, store::now_micros());
      co_await store::LedgerRepository::post_many(tx, closing.transfers);
      std::unordered_map<std::string_view, std::string_view> owner;
      for (const auto& b : bets) owner.emplace(b.id, b.user_id);
      std::unordered_map<std::string_view, std::int64_t> stake_of;
      for (const auto& b : bets) stake_of.emplace(b.id, b.stake);
      std::int64_t staked = 0;
      std::int64_t paid = 0;
      for (const auto& c : closing.bets) {
        closed.push_back(ClosedBet{c.bet_id, std::string(owner.at(c.bet_id)), c.status, c.payout});
        staked += stake_of.at(c.bet_id);
        paid += c.payout;
      }
      settled = Tally{static_cast<std::int64_t>(closing.bets.size()), staked, paid};
    }
    co_return static_cast<std::int64_t>(bets.size());
  });
  // Counted once the batch's transaction has committed (GGR follows: settled stake less payout).
  metrics::add(metrics::Counter::bets_settled, settled.bets);
  metrics::add(metrics::Counter::bets_settled_stake, settled.staked);
  metrics::add(metrics::Counter::bets_settled_payout, settled.paid);
  if (changes_ && !closed.empty()) co_await changes_->bets_closed(std::move(closed));
  co_return touched;
}

}  // namespace b2w::sportsbook
