#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/odds.hpp"
#include "domain/sportsbook.hpp"
#include "store/catalog.hpp"
#include "store/db/database.hpp"

// The trading feed's tables (migration 022): the provider's event, market and outcome ids mapped to ours,
// each event's last applied sequence, and the rollbacks kept for an operator. Also the feed's bulk writes to
// the catalogue (many odds in one statement), which the admin's one-at-a-time changes do not need.
namespace b2w::store {

// Our event for a provider's event, and the last message applied to it.
struct FeedEvent {
  Event event;  // without its markets
  std::int64_t last_sequence = 0;
  std::int64_t last_timestamp = 0;
};

// One of the event's markets as the feed knows it: our ids for the provider's.
struct FeedMarket {
  std::string provider_market_id;
  std::string market_id;
  domain::MarketStatus status = domain::MarketStatus::open;
  bool live = false;
  std::vector<std::pair<std::string, std::string>> outcomes;  // provider outcome id -> our selection id
};

// A market's state to write (its version increases).
struct MarketWrite {
  std::string market_id;
  domain::MarketStatus status = domain::MarketStatus::open;
  bool live = false;
};

struct FeedRollback {
  std::string provider;
  std::string provider_event_id;
  std::string provider_market_id;
  std::optional<std::string> market_id;
  std::int64_t sequence = 0;
};

// A recorded rollback as an operator reviews it.
struct FeedRollbackRow {
  std::string id;
  FeedRollback rollback;
  std::int64_t received_at = 0;
};

class FeedRepository {
 public:
  explicit FeedRepository(Database& db) : db_(db) {}

  // In the caller's transaction.

  // The provider's event with our event, its feed row locked (FOR UPDATE): one feed request at a time
  // applies an event's messages, so its sequence only moves forward.
  static Awaitable<std::optional<FeedEvent>> lock_event(Tx& tx, const std::string& provider,
                                                        const std::string& provider_event_id);
  // Maps a new event (already inserted in events) with the sequence of the message that created it. When a
  // concurrent request mapped it first, throws TransientConflict: the transaction runs again and finds it.
  static Awaitable<void> insert_event(Tx& tx, const std::string& provider, const std::string& provider_event_id,
                                      const std::string& event_id, std::int64_t sequence, std::int64_t timestamp,
                                      std::int64_t now);
  // The last message applied to the event (deferred: sent with the next statement or the commit).
  static Awaitable<void> record_sequence(Tx& tx, const std::string& provider, const std::string& provider_event_id,
                                         std::int64_t sequence, std::int64_t timestamp, std::int64_t now);
  // The event's markets the feed created, their rows locked (FOR UPDATE): placements share-lock them, so
  // odds and status changes are ordered against bets exactly as an admin's are.
  static Awaitable<std::vector<FeedMarket>> lock_markets(Tx& tx, const std::string& provider,
                                                         const std::string& provider_event_id);
  // lock_event() and lock_markets() in one round trip (PostgreSQL), for a run that changes markets.
  static Awaitable<std::pair<std::optional<FeedEvent>, std::vector<FeedMarket>>> lock_event_and_markets(
      Tx& tx, const std::string& provider, const std::string& provider_event_id);
  // Maps a new market (already inserted with its selections) and its outcomes.
  static Awaitable<void> map_market(Tx& tx, const std::string& provider, const std::string& provider_event_id,
                                    const FeedMarket& market);
  // The event's name, teams, sport, start time and status.
  static Awaitable<void> update_event(Tx& tx, const Event& event, std::int64_t now);
  // Each market's status and live flag; every version increases by one.
  static Awaitable<void> write_markets(Tx& tx, const std::vector<MarketWrite>& markets, std::int64_t now);
  // Many selections' odds, a few statements for all.
  static Awaitable<void> set_odds(Tx& tx, const std::vector<std::pair<std::string, domain::Odds>>& odds);

  // Outside a transaction.

  Awaitable<std::optional<FeedEvent>> find_event(std::string provider, std::string provider_event_id);
  Awaitable<std::vector<FeedMarket>> markets(std::string provider, std::string provider_event_id);
  // Moves the event's last sequence forward to `sequence` (never back).
  Awaitable<void> advance_sequence(std::string provider, std::string provider_event_id, std::int64_t sequence,
                                   std::int64_t timestamp);
  Awaitable<void> record_rollback(FeedRollback rollback);
  Awaitable<std::int64_t> count_rollbacks();
  // Newest first, `limit` rows after the (received_at, id) position `after`.
  Awaitable<std::vector<FeedRollbackRow>> rollbacks(int limit,
                                                    std::optional<std::pair<std::int64_t, std::string>> after);

 private:
  Database& db_;
};

}  // namespace b2w::store
