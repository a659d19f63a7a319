#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/betting.hpp"
#include "domain/odds.hpp"
#include "domain/sportsbook.hpp"
#include "store/db/database.hpp"
#include "store/db/read_batch.hpp"

// The catalogue's tables: events, markets and selections. Every statement on them is here, and each
// table's rows are read into its struct in one place (store/catalog.cpp).
namespace b2w::store {

struct Selection {
  std::string id;
  std::string name;
  domain::Odds odds = 0;
  std::optional<domain::LegResult> result;  // won, lost or void once its market is settled
};

struct Market {
  std::string id;
  std::string event_id;
  std::string name;
  domain::MarketStatus status = domain::MarketStatus::open;
  std::int64_t version = 0;           // increases on every odds or status change
  bool live = false;                  // in play: its event is live (set by the trading feed)
  std::vector<Selection> selections;  // in display order
};

struct Event {
  std::string id;
  std::string sport;
  std::string name;
  std::string home;
  std::string away;
  std::int64_t starts_at = 0;  // epoch micros
  domain::EventStatus status = domain::EventStatus::scheduled;
  std::vector<Market> markets;  // in the order they were added
};

struct EventFilter {
  std::optional<std::string> sport;
  std::vector<domain::EventStatus> statuses;  // any of these
  std::optional<std::int64_t> from, to;       // starts_at in [from, to)
  int limit = 20;
  std::optional<std::pair<std::int64_t, std::string>> after;  // (starts_at, id) of the last event seen
};

struct SportCount {
  std::string key;
  std::int64_t events;
};

// What a bet placement knows of a selection on its slip: its odds, its market's and event's states.
struct Offer {
  std::string market_id;
  domain::Odds odds = 0;
  std::string event_id;
  domain::MarketStatus market_status = domain::MarketStatus::open;
  domain::EventStatus event_status = domain::EventStatus::scheduled;
  std::int64_t starts_at = 0;
  bool live = false;  // markets.live: in play, bets wait an acceptance delay
  std::string sport;  // the event's, for the delay per sport
};

// Offers by selection id.
using Offers = std::unordered_map<std::string, Offer>;

// A status column's value as stored; QueryError for a name the code does not know. Shared by the catalogue's
// repositories (catalog.cpp, feed.cpp).
domain::EventStatus event_status_column(const std::string& text);
domain::MarketStatus market_status_column(const std::string& text);

class CatalogRepository {
 public:
  explicit CatalogRepository(Database& db) : db_(db) {}

  // In the caller's transaction.

  // The event, locked (FOR UPDATE): its status and start time change under this lock, and markets are
  // added under it. Without its markets.
  static Awaitable<std::optional<Event>> lock_event(Tx& tx, const std::string& id);
  static Awaitable<void> insert_event(Tx& tx, const Event& event, std::int64_t now);
  // Writes the event's status and start time.
  static Awaitable<void> update_event(Tx& tx, const Event& event, std::int64_t now);
  // The market with its selections.
  static Awaitable<void> insert_market(Tx& tx, const Market& market, std::int64_t now);
  // The market's status, its row locked (FOR UPDATE): placements share-lock it, so this orders a
  // change after the placements that came first and before those that come later.
  static Awaitable<std::optional<domain::MarketStatus>> lock_market(Tx& tx, const std::string& id);
  static Awaitable<std::optional<Market>> market(Tx& tx, const std::string& id);
  static Awaitable<std::vector<Market>> markets_of_event(Tx& tx, const std::string& event_id);
  static Awaitable<void> set_odds(Tx& tx, const std::string& selection_id, domain::Odds odds);
  static Awaitable<void> set_result(Tx& tx, const std::string& selection_id, domain::LegResult result);
  // The market's new status; its version increases (as on every change of the market or its odds).
  static Awaitable<void> set_market_status(Tx& tx, const std::string& id, domain::MarketStatus status,
                                           std::int64_t now);
  // The offers of the given selections, by selection id (unknown ones are missing), their markets
  // share-locked: a suspension, odds change or settlement (and an event's cancellation, which settles
  // its markets) either committed before and is seen, or waits until the caller commits. Events are
  // not locked: every bet on a match would share-lock one hot row (a multixact each); the caller
  // checks the start time against the clock. (SQLite's single writer needs no locks.) Two statements.
  static ReadBatch::Later<Offers> read_offers(ReadBatch& reads, const std::vector<std::string>& selection_ids);
  // read_offers in a batch of its own.
  static Awaitable<Offers> lock_offers(Tx& tx, const std::vector<std::string>& selection_ids);

  // Outside a transaction.

  Awaitable<void> insert_event(const Event& event, std::int64_t now);
  // With its markets.
  Awaitable<std::optional<Event>> find_event(std::string id);
  Awaitable<std::optional<Market>> find_market(std::string id);
  // The markets with these ids (those that exist), with their selections.
  Awaitable<std::vector<Market>> find_markets(std::vector<std::string> ids);
  // By start time then id, with their markets.
  Awaitable<std::vector<Event>> list_events(EventFilter filter);
  // Events in one of `statuses`, per sport (sports without any are missing).
  Awaitable<std::vector<SportCount>> sport_counts(std::vector<domain::EventStatus> statuses);
  // Ids of the event's markets in one of `statuses`, in the order they were added.
  Awaitable<std::vector<std::string>> market_ids(std::string event_id, std::vector<domain::MarketStatus> statuses);

 private:
  // The events, each with its markets (one statement for all).
  Awaitable<std::vector<Event>> with_markets(std::vector<Event> events);

  Database& db_;
};

}  // namespace b2w::store
