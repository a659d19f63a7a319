#pragma once
#include <string>

#include "sportsbook/catalog.hpp"
#include "sportsbook/catalog_cache.hpp"
#include "sportsbook/changes.hpp"
#include "sportsbook/settlement.hpp"
#include "util/awaitable.hpp"

namespace b2w::sportsbook {

// Every change an administrator makes to the catalogue, each published before it returns: the
// catalogue cache is invalidated in one place (publish), after the change, so once a change is
// acknowledged no task serves what came before it. Each change is recorded in the audit trail as made by
// `actor`, in the change's transaction. Throws domain::Error with the documented codes.
class CatalogAdmin {
 public:
  // `changes`, when given, is told of each change once it is published (the live push).
  CatalogAdmin(Catalog& catalog, Settlement& settlement, CatalogCache& cache, ChangeListener* changes = nullptr)
      : catalog_(catalog), settlement_(settlement), cache_(cache), changes_(changes) {}

  Awaitable<Event> create_event(NewEvent event, domain::Actor actor);
  // Cancelling an event voids its open markets and settles their bets: singles are refunded,
  // accumulators lose the leg (it counts as void). Sending the cancellation again finishes what a
  // failure interrupted. Returns the event after the change.
  Awaitable<Event> update_event(std::string id, EventChange change, domain::Actor actor);
  Awaitable<Market> create_market(std::string event_id, NewMarket market, domain::Actor actor);
  Awaitable<Market> update_market(std::string id, MarketChange change, domain::Actor actor);
  // Records the results (published at once: from here on the market shows settled everywhere), then
  // settles its bets.
  Awaitable<Settled> settle_market(std::string id, SettleRequest request, domain::Actor actor);

 private:
  // Runs `change`, then invalidates the cache, also when the change failed: a failure may follow a
  // commit (an event cancelled, its markets not all voided), and an invalidation too many only costs
  // a refill of the cache.
  template <typename Change>
  auto publish(Change change) -> decltype(change());
  Awaitable<Event> cancel_or_change(const std::string& id, const EventChange& change, const domain::Actor& actor);

  Catalog& catalog_;
  Settlement& settlement_;
  CatalogCache& cache_;
  ChangeListener* changes_;
};

}  // namespace b2w::sportsbook
