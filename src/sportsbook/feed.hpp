#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/feed.hpp"
#include "sportsbook/catalog_cache.hpp"
#include "sportsbook/changes.hpp"
#include "sportsbook/settlement.hpp"
#include "store/catalog.hpp"
#include "store/feed.hpp"
#include "util/awaitable.hpp"

namespace b2w::sportsbook {

struct FeedOptions {
  std::string provider = "feed";  // the provider's name in the id mapping (FEED_PROVIDER)
  std::string hmac_secret;        // empty: the feed is off
  std::size_t max_batch = 500;
  // One transaction for the catalogue changes of the whole batch instead of one per event (README: measured).
  bool one_transaction_per_batch = false;
};

// What a batch did. A message is applied, a duplicate (ignored), rejected (with its reason), or recorded for
// an operator (a settlement rollback); a gap is an applied message whose sequence skipped some.
struct FeedReport {
  std::int64_t applied = 0;
  std::int64_t duplicates = 0;
  std::int64_t gaps = 0;
  std::int64_t needs_operator = 0;
  std::vector<domain::feed::Rejection> rejected;  // by batch index
};

// What a batch's committed catalogue changes touched: markets (and whether any of their prices moved), events.
struct CatalogueChanges {
  std::map<std::string, bool> markets;  // our market id -> odds moved
  std::set<std::string> events;         // our event ids created or changed
  void market(const std::string& id, bool odds_moved);
  void merge(const CatalogueChanges& other);
};

// The trading feed (sportsbook/README.md): messages shaped after Betradar's Unified Odds Feed create and
// change events and markets by the provider's ids, suspend, settle and void markets. Catalogue changes run in
// the feed's own transactions (one per event); settlements and cancellations go through Settlement, the same
// path as an admin's, so money moves exactly as it does there. The catalogue cache is invalidated before the
// batch is answered, as after an admin change. Throws domain::Error with the documented codes.
class Feed {
 public:
  // `changes` (optional) is told of every market and event the batch changed, once committed (the live push).
  Feed(store::Database& db, Settlement& settlement, CatalogCache& cache, FeedOptions options,
       ChangeListener* changes = nullptr);

  bool enabled() const { return !options_.hmac_secret.empty(); }
  // The hex HMAC-SHA-256 of the raw body with the feed's secret, compared in constant time.
  bool signature_valid(std::string_view body, std::string_view signature_hex) const;
  // Checks the signature (401 invalid_signature; 404 when the feed is off), parses the batch (400/422: nothing
  // applied) and applies it.
  Awaitable<FeedReport> receive(std::string body, std::string signature);
  // The settlement rollbacks the feed sent, recorded and left for an operator, newest first.
  Awaitable<std::vector<store::FeedRollbackRow>> rollbacks(int limit,
                                                           std::optional<std::pair<std::int64_t, std::string>> after);

 private:
  struct Work;
  Awaitable<void> apply(domain::feed::Batch batch, FeedReport& report, std::vector<std::string>& to_resolve,
                        CatalogueChanges& changes);
  Awaitable<void> tell_listener(CatalogueChanges changes);
  Awaitable<void> apply_catalogue_runs(std::vector<const std::vector<domain::feed::Message>*> runs, Work& work);
  Awaitable<void> apply_settling(const domain::feed::Message& message, Work& work);

  store::Database& db_;
  store::FeedRepository feed_;
  store::CatalogRepository catalog_;
  Settlement& settlement_;
  CatalogCache& cache_;
  FeedOptions options_;
  ChangeListener* changes_;
};

}  // namespace b2w::sportsbook
