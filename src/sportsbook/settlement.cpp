#include "sportsbook/settlement.hpp"

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "domain/betting.hpp"
#include "http/api_error.hpp"
#include "observability/log.hpp"
#include "domain/bet_states.hpp"
#include "store/bet_postings.hpp"
#include "store/ledger.hpp"

namespace b2w::sportsbook {

using http::ApiError;
using http::Status;
using store::Tx;
using store::Value;
using store::parameter_list;
using store::value_rows;

namespace {

// What the request asks each selection's result to be; 422 naming every problem.
std::map<std::string, std::string> wanted_results(const std::vector<Selection>& selections, const SettleRequest& r) {
  std::map<std::string, std::string> wanted;
  if (r.void_market) {
    for (const auto& s : selections) wanted[s.id] = "void";
    return wanted;
  }
  auto error = ApiError::validation("Name every selection of the market with won, lost or void");
  bool bad = false;
  for (const auto& s : selections) {
    auto it = r.results.find(s.id);
    if (it == r.results.end()) {
      error.detail("results." + s.id, "is missing (" + s.name + ")");
      bad = true;
    } else if (it->second != "won" && it->second != "lost" && it->second != "void") {
      error.detail("results." + s.id, "must be won, lost or void");
      bad = true;
    } else {
      wanted[s.id] = it->second;
    }
  }
  // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
  for (const auto& entry : r.results) {
    const std::string& id = entry.first;
    if (!wanted.count(id) && std::none_of(selections.begin(), selections.end(), [&](const Selection& s) { return s.id == id; })) {
      error.detail("results." + id, "is not a selection of this market");
      bad = true;
    }
  }
  if (bad) throw error;
  return wanted;
}

}  // namespace

Awaitable<void> Settlement::record_results(std::string market_id, SettleRequest request) {
  co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<void> {
    // Locking the market orders the settlement after any placement that share-locked it.
    const auto locked = co_await tx.exec("SELECT status FROM markets WHERE id = $1 FOR UPDATE", market_id);
    if (locked.empty()) throw ApiError::not_found("No market with this id");
    const auto status = locked.one().str(0);
    const auto rows =
        co_await tx.exec("SELECT id, name, odds, result FROM selections WHERE market_id = $1 ORDER BY position", market_id);
    std::vector<Selection> selections;
    for (const auto& r : rows.rows) selections.push_back(Selection{r.str(0), r.str(1), r.i64(2), r.opt_str(3)});
    const auto wanted = wanted_results(selections, request);
    if (status == "settled" || status == "void") {
      for (const auto& s : selections)
        if (s.result != wanted.at(s.id))
          throw ApiError(Status::conflict, "already_settled", "This market was settled with other results");
      co_return;  // the same settlement again: only unfinished legs (if a crash interrupted) remain
    }
    for (const auto& s : selections)
      co_await tx.exec("UPDATE selections SET result = $1 WHERE id = $2", wanted.at(s.id), s.id);
    const std::string final_status = request.void_market ? "void" : "settled";
    const auto now = store::now_micros();
    co_await tx.exec("UPDATE markets SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3", final_status,
                     now, market_id);
    co_await tx.exec("INSERT INTO pending_settlements (market_id, recorded_at) VALUES ($1, $2)", market_id, now);
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
      co_await db_.query("DELETE FROM pending_settlements WHERE market_id = $1", market_id);
      break;
    }
    out.bets_settled += n;
  }
  if (out.bets_settled > 0)
    log::info("market settled")
        .str("market_id", market_id)
        .num("bets", out.bets_settled)
        .num("batches", static_cast<std::int64_t>(batches))
        .num("ms", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
  Catalog catalog(db_);
  auto market = co_await catalog.find_market(market_id);
  if (!market) throw ApiError::not_found("No market with this id");
  out.market = std::move(*market);
  co_return out;
}

Awaitable<std::vector<std::string>> Settlement::pending(std::chrono::microseconds age, std::size_t limit) {
  const auto rows = co_await db_.query(
      "SELECT market_id FROM pending_settlements WHERE recorded_at <= $1 ORDER BY recorded_at, market_id LIMIT $2",
      store::now_micros() - age.count(), static_cast<std::int64_t>(limit));
  std::vector<std::string> ids;
  for (const auto& r : rows.rows) ids.push_back(r.str(0));
  co_return ids;
}

Awaitable<std::int64_t> Settlement::resolve_batch(const std::string& market_id) {
  co_return co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<std::int64_t> {
    // The bets with an open leg in this market, locked in id order.
    const auto bets = co_await tx.exec(
        "SELECT id, user_id, stake, status FROM bets WHERE id IN (SELECT bet_id FROM bet_legs"
        " WHERE market_id = $1 AND status = 'open' ORDER BY bet_id LIMIT $2) ORDER BY id FOR UPDATE",
        market_id, static_cast<std::int64_t>(batch_size_));
    if (bets.empty()) co_return 0;
    std::vector<Value> ids;
    for (const auto& b : bets.rows) ids.push_back(Value{b.str(0)});
    const auto in_list = parameter_list(1, ids.size());

    // Their open legs take their selections' results (the source of truth)...
    co_await tx.execute(
        "UPDATE bet_legs SET status = (SELECT s.result FROM selections s WHERE s.id = bet_legs.selection_id)"
        " WHERE bet_id IN (" + in_list + ") AND status = 'open' AND EXISTS"
        " (SELECT 1 FROM selections s WHERE s.id = bet_legs.selection_id AND s.result IS NOT NULL)",
        ids);
    // ...and each bet is judged on its legs as recorded. (Judging on the selections directly could
    // count a result another market records between the two statements without resolving that
    // leg: the bet would then stay open with no open leg left for that market's settlement to find.)
    const auto legs = co_await tx.execute("SELECT bet_id, odds, status FROM bet_legs WHERE bet_id IN (" + in_list + ")", ids);
    std::unordered_map<std::string, std::vector<domain::Leg>> by_bet;
    for (const auto& l : legs.rows)
      by_bet[l.str(0)].push_back(domain::Leg{l.i64(1), *domain::parse_leg_result(l.str(2))});

    const auto now = store::now_micros();
    std::vector<store::LedgerTransfer> transfers;
    std::vector<Value> closed;
    for (const auto& b : bets.rows) {
      if (domain::parse_bet_status(b.str(3)) != domain::BetStatus::open) continue;  // already lost on another leg
      const auto outcome = domain::settle(b.i64(2), by_bet[b.str(0)]);
      // Only the table's moves out of open settle a bet (open stays open while a leg is unresolved).
      if (!domain::bet_transitions().find(domain::BetStatus::open, domain::settling_event(outcome.status))) continue;
      transfers.push_back(store::bet_closing_transfer(b.str(0), b.str(1), b.i64(2), outcome.status, outcome.payout));
      closed.push_back(Value{b.str(0)});
      closed.push_back(Value{std::string(domain::to_string(outcome.status))});
      closed.push_back(Value{outcome.payout});
      closed.push_back(Value{now});
    }
    if (!transfers.empty()) {
      // Conditional on every one of them still being open (they are locked): a bet is settled once.
      co_await tx.defer_expecting(static_cast<std::int64_t>(transfers.size()),
                                  "UPDATE bets SET status = v.column2, payout = CAST(v.column3 AS BIGINT),"
                                  " settled_at = CAST(v.column4 AS BIGINT) FROM (VALUES " +
                                      value_rows(transfers.size(), 4) +
                                      ") AS v WHERE bets.id = v.column1 AND bets.status = 'open'",
                                  std::move(closed));
      co_await store::LedgerRepository::post_many(tx, transfers);
    }
    co_return static_cast<std::int64_t>(bets.rows.size());
  });
}

}  // namespace b2w::sportsbook
