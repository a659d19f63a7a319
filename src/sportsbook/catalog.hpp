#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/odds.hpp"
#include "domain/sportsbook.hpp"
#include "sportsbook/audit_records.hpp"
#include "store/bets.hpp"
#include "store/catalog.hpp"
#include "util/awaitable.hpp"

// Events, markets and selections: what admins create and change and what everyone reads.
// Throws domain::Error with the documented codes.
namespace b2w::sportsbook {

// The catalogue's records are the repository's rows.
using store::Event;
using store::EventFilter;
using store::Market;
using store::Selection;
using store::SportCount;

struct NewEvent {
  std::string sport;
  std::string name;
  std::string home;
  std::string away;
  std::int64_t starts_at;
};

struct EventChange {
  std::optional<domain::EventStatus> status;
  std::optional<std::int64_t> starts_at;
};

struct NewMarket {
  std::string name;
  std::vector<std::pair<std::string, domain::Odds>> selections;  // name, odds
};

struct MarketChange {
  std::optional<domain::MarketStatus> status;              // open or suspended
  std::vector<std::pair<std::string, domain::Odds>> odds;  // selection id, new odds
};

class Catalog {
 public:
  explicit Catalog(store::Database& db) : db_(db), catalog_(db) {}

  // Each change is recorded in the audit trail, in its transaction, as made by `actor`.
  Awaitable<Event> create_event(NewEvent event, domain::Actor actor = system_actor());
  // Returns the event after the change. Cancelling it is followed by voiding its open markets
  // (CatalogAdmin::update_event does both).
  Awaitable<Event> update_event(std::string id, EventChange change, domain::Actor actor = system_actor());
  Awaitable<Market> create_market(std::string event_id, NewMarket market, domain::Actor actor = system_actor());
  Awaitable<Market> update_market(std::string id, MarketChange change, domain::Actor actor = system_actor());

  Awaitable<std::optional<Event>> find_event(std::string id);
  Awaitable<std::optional<Market>> find_market(std::string id);
  // A market's open exposure (open stakes, payout per selection if it wins); not_found for an unknown market.
  Awaitable<store::MarketLiability> liability(std::string market_id);
  Awaitable<std::vector<Event>> list_events(EventFilter filter);
  // Events still to be played or in play (scheduled, live), per sport.
  Awaitable<std::vector<SportCount>> sport_counts();
  // Ids of the event's markets that are not settled or void.
  Awaitable<std::vector<std::string>> open_market_ids(std::string event_id);

 private:
  store::Database& db_;
  store::CatalogRepository catalog_;
};

}  // namespace b2w::sportsbook
