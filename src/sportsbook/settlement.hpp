#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sportsbook/audit_records.hpp"
#include "sportsbook/changes.hpp"
#include "store/bets.hpp"
#include "store/catalog.hpp"
#include "store/settlement.hpp"
#include "util/awaitable.hpp"

namespace b2w::sportsbook {

struct SettleRequest {
  bool void_market = false;                    // {void: true}
  std::map<std::string, std::string> results;  // selection id -> won | lost | void as sent, every selection named
};

struct Settled {
  store::Market market;
  std::int64_t bets_settled = 0;  // bets this call resolved a leg of
};

// Settles a market in two steps. record_results() records the results once (the same results
// again are a no-op, different ones 409 already_settled); from its commit on, the market takes no
// bets. resolve() then settles its open bet legs in bounded batches, each its own transaction,
// paying out or refunding through the ledger exactly once. A crash between batches leaves the
// market settled with some legs open and on the pending list: sending the settlement again, or the
// resumer (sportsbook/settlement_resumer), finishes the job. Throws domain::Error with the documented codes.
class Settlement {
 public:
  // `changes`, when given, is told of the bets each batch closed, after its commit (the live push).
  explicit Settlement(store::Database& db, std::size_t batch_size = 500, ChangeListener* changes = nullptr)
      : db_(db), catalog_(db), pending_(db), batch_size_(batch_size), changes_(changes) {}

  // Recorded in the audit trail with the results, in the same transaction, as made by `actor`.
  Awaitable<void> record_results(std::string market_id, SettleRequest request, domain::Actor actor = system_actor());
  // Resolves the market's open legs from its selections' results, at most `max_batches` batches
  // (bounded work per call); returns the market and how many bets were touched. The call that
  // finds no open leg left takes the market off the pending list.
  Awaitable<Settled> resolve(std::string market_id, std::size_t max_batches = SIZE_MAX);

  // Markets whose results were recorded at least `age` ago and whose bets may still be open
  // (a settlement cut short by a crash or a deploy), oldest first, at most `limit`.
  Awaitable<std::vector<std::string>> pending(std::chrono::microseconds age, std::size_t limit = 100);
  // How long the oldest market whose results are recorded has waited for its bets to be settled (zero: none).
  Awaitable<std::chrono::microseconds> lag();

 private:
  Awaitable<std::int64_t> resolve_batch(const std::string& market_id);

  store::Database& db_;
  store::CatalogRepository catalog_;
  store::SettlementRepository pending_;
  std::size_t batch_size_;
  ChangeListener* changes_;
};

}  // namespace b2w::sportsbook
