#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/odds.hpp"
#include "store/db/database.hpp"

// Events, markets and selections: what admins create and change and what everyone reads.
// Throws http::ApiError with the documented codes.
namespace b2w::sportsbook {

template <typename T>
using Awaitable = store::Awaitable<T>;

struct Selection {
  std::string id;
  std::string name;
  domain::Odds odds;
  std::optional<std::string> result;  // won | lost | void once settled
};

struct Market {
  std::string id;
  std::string event_id;
  std::string name;
  std::string status;  // open | suspended | settled | void
  std::int64_t version = 0;
  std::vector<Selection> selections;
};

struct Event {
  std::string id;
  std::string sport;
  std::string name;
  std::string home;
  std::string away;
  std::int64_t starts_at = 0;  // epoch micros
  std::string status;          // scheduled | live | finished | cancelled
  std::vector<Market> markets;
};

struct NewEvent {
  std::string sport;
  std::string name;
  std::string home;
  std::string away;
  std::int64_t starts_at;
};

struct EventChange {
  std::optional<std::string> status;
  std::optional<std::int64_t> starts_at;
};

struct NewMarket {
  std::string name;
  std::vector<std::pair<std::string, domain::Odds>> selections;  // name, odds
};

struct MarketChange {
  std::optional<std::string> status;                        // open | suspended
  std::vector<std::pair<std::string, domain::Odds>> odds;   // selection id, new odds
};

struct EventFilter {
  std::optional<std::string> sport;
  std::vector<std::string> statuses;  // any of these
  std::optional<std::int64_t> from, to;  // starts_at in [from, to)
  int limit = 20;
  std::optional<std::pair<std::int64_t, std::string>> after;  // (starts_at, id) of the last event seen
};

struct SportCount {
  std::string key;
  std::int64_t events;
};

class Catalog {
 public:
  explicit Catalog(store::Database& db) : db_(db) {}

  Awaitable<Event> create_event(NewEvent event);
  // Returns the event after the change. Cancelling it is followed by voiding its open markets (the caller's job).
  Awaitable<Event> update_event(std::string id, EventChange change);
  Awaitable<Market> create_market(std::string event_id, NewMarket market);
  Awaitable<Market> update_market(std::string id, MarketChange change);

  Awaitable<std::optional<Event>> find_event(std::string id);
  Awaitable<std::optional<Market>> find_market(std::string id);
  Awaitable<std::vector<Event>> list_events(EventFilter filter);
  // Events still to be played or in play (scheduled, live), per sport.
  Awaitable<std::vector<SportCount>> sport_counts();
  // Ids of the event's markets that are not settled or void.
  Awaitable<std::vector<std::string>> open_market_ids(std::string event_id);

 private:
  Awaitable<void> attach_markets(std::vector<Event>& events);
  store::Database& db_;
};

}  // namespace b2w::sportsbook
