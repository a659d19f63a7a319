#include "store/feed.hpp"

#include <algorithm>

#include "util/ids.hpp"

namespace b2w::store {

namespace {

// Selections per odds statement: bounds its text and its parameters (PostgreSQL takes at most 65,535).
constexpr std::size_t kOddsPerStatement = 500;

constexpr const char* kFeedEventSelect =
    "SELECT e.id, e.sport, e.name, e.home, e.away, e.starts_at, e.status, f.last_sequence, f.last_timestamp"
    " FROM feed_events f JOIN events e ON e.id = f.event_id WHERE f.provider = $1 AND f.provider_event_id = $2";

std::optional<FeedEvent> feed_event_of(const Result& rows) {
  if (rows.empty()) return std::nullopt;
  const auto& r = rows.one();
  FeedEvent f;
  f.event.id = r.str(0);
  f.event.sport = r.str(1);
  f.event.name = r.str(2);
  f.event.home = r.str(3);
  f.event.away = r.str(4);
  f.event.starts_at = r.i64(5);
  f.event.status = event_status_column(r.str(6));
  f.last_sequence = r.i64(7);
  f.last_timestamp = r.i64(8);
  return f;
}

// One row per outcome, ordered by market.
constexpr const char* kFeedMarketSelect =
    "SELECT fm.provider_market_id, m.id, m.status, m.live, fs.provider_outcome_id, fs.selection_id"
    " FROM feed_markets fm JOIN markets m ON m.id = fm.market_id JOIN feed_selections fs ON fs.market_id = m.id"
    " WHERE fm.provider = $1 AND fm.provider_event_id = $2 ORDER BY m.id, fs.provider_outcome_id";

std::vector<FeedMarket> feed_markets_of(const Result& rows) {
  std::vector<FeedMarket> out;
  for (const auto& r : rows.rows) {
    if (out.empty() || out.back().market_id != r.str(1)) {
      FeedMarket m;
      m.provider_market_id = r.str(0);
      m.market_id = r.str(1);
      m.status = market_status_column(r.str(2));
      m.live = r.i64(3) != 0;
      out.push_back(std::move(m));
    }
    out.back().outcomes.emplace_back(r.str(4), r.str(5));
  }
  return out;
}

}  // namespace

Awaitable<std::optional<FeedEvent>> FeedRepository::lock_event(Tx& tx, const std::string& provider,
                                                               const std::string& provider_event_id) {
  const auto rows = co_await tx.exec(std::string(kFeedEventSelect) + " FOR UPDATE", provider, provider_event_id);
  co_return feed_event_of(rows);
}

Awaitable<void> FeedRepository::insert_event(Tx& tx, const std::string& provider, const std::string& provider_event_id,
                                             const std::string& event_id, std::int64_t sequence, std::int64_t timestamp,
                                             std::int64_t now) {
  bool raced = false;
  try {
    co_await tx.exec(
        "INSERT INTO feed_events (provider, provider_event_id, event_id, last_sequence, last_timestamp, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        provider, provider_event_id, event_id, sequence, timestamp, now);
  } catch (const ConstraintViolation&) {
    raced = true;  // (no co_await in a handler)
  }
  // Another request created the event first (PostgreSQL: it waited for that one to commit): the whole
  // transaction runs again and finds the event mapped.
  if (raced) throw TransientConflict("feed event " + provider_event_id + " created by a concurrent request");
}

Awaitable<void> FeedRepository::record_sequence(Tx& tx, const std::string& provider,
                                                const std::string& provider_event_id, std::int64_t sequence,
                                                std::int64_t timestamp, std::int64_t now) {
  co_await tx.defer_exec(
      "UPDATE feed_events SET last_sequence = $1, last_timestamp = $2, updated_at = $3"
      " WHERE provider = $4 AND provider_event_id = $5",
      sequence, timestamp, now, provider, provider_event_id);
}

Awaitable<std::vector<FeedMarket>> FeedRepository::lock_markets(Tx& tx, const std::string& provider,
                                                                const std::string& provider_event_id) {
  const auto rows = co_await tx.exec(std::string(kFeedMarketSelect) + " FOR UPDATE", provider, provider_event_id);
  co_return feed_markets_of(rows);
}

Awaitable<std::pair<std::optional<FeedEvent>, std::vector<FeedMarket>>> FeedRepository::lock_event_and_markets(
    Tx& tx, const std::string& provider, const std::string& provider_event_id) {
  std::vector<Statement> statements;
  statements.push_back(
      Statement{std::string(kFeedEventSelect) + " FOR UPDATE", values_of(provider, provider_event_id)});
  statements.push_back(
      Statement{std::string(kFeedMarketSelect) + " FOR UPDATE", values_of(provider, provider_event_id)});
  const auto results = co_await tx.execute_together(std::move(statements));
  co_return std::make_pair(feed_event_of(results.at(0)), feed_markets_of(results.at(1)));
}

Awaitable<void> FeedRepository::map_market(Tx& tx, const std::string& provider, const std::string& provider_event_id,
                                           const FeedMarket& market) {
  co_await tx.defer_exec(
      "INSERT INTO feed_markets (provider, provider_event_id, provider_market_id, market_id) VALUES ($1, $2, $3, $4)",
      provider, provider_event_id, market.provider_market_id, market.market_id);
  std::vector<Value> params;
  for (const auto& [outcome, selection] : market.outcomes) {
    params.push_back(Value{market.market_id});
    params.push_back(Value{outcome});
    params.push_back(Value{selection});
  }
  co_await tx.defer("INSERT INTO feed_selections (market_id, provider_outcome_id, selection_id) VALUES " +
                        value_rows(market.outcomes.size(), 3),
                    std::move(params));
}

Awaitable<void> FeedRepository::update_event(Tx& tx, const Event& e, std::int64_t now) {
  co_await tx.defer_exec(
      "UPDATE events SET sport = $1, name = $2, home = $3, away = $4, starts_at = $5, status = $6, updated_at = $7"
      " WHERE id = $8",
      e.sport, e.name, e.home, e.away, e.starts_at, domain::to_string(e.status), now, e.id);
}

Awaitable<void> FeedRepository::write_markets(Tx& tx, const std::vector<MarketWrite>& markets, std::int64_t now) {
  if (markets.empty()) co_return;
  // UPDATE ... SET x = CASE id WHEN ... END: one statement both databases run, whatever the number of markets.
  std::string status = "CASE id";
  std::string live = "CASE id";
  std::vector<Value> params;
  for (const auto& m : markets) {
    params.push_back(Value{m.market_id});
    const auto id = "$" + std::to_string(params.size());
    params.push_back(Value{std::string(domain::to_string(m.status))});
    status += " WHEN " + id + " THEN $" + std::to_string(params.size());
    live += " WHEN " + id + (m.live ? " THEN 1" : " THEN 0");
  }
  params.push_back(Value{now});
  std::string ids;
  for (std::size_t i = 0; i < markets.size(); ++i) ids += (i ? ", $" : "$") + std::to_string(2 * i + 1);
  const auto sql = "UPDATE markets SET status = " + status + " END, live = " + live +
                   " END, version = version + 1, updated_at = $" + std::to_string(params.size()) + " WHERE id IN (" +
                   ids + ")";
  co_await tx.defer(sql, std::move(params));
}

Awaitable<void> FeedRepository::set_odds(Tx& tx, const std::vector<std::pair<std::string, domain::Odds>>& odds) {
  for (std::size_t from = 0; from < odds.size(); from += kOddsPerStatement) {
    const auto to = std::min(odds.size(), from + kOddsPerStatement);
    std::string cases = "CASE id";
    std::string ids;
    std::vector<Value> params;
    for (std::size_t i = from; i < to; ++i) {
      params.push_back(Value{odds[i].first});
      const auto id = "$" + std::to_string(params.size());
      params.push_back(Value{odds[i].second});
      cases += " WHEN " + id + " THEN CAST($" + std::to_string(params.size()) + " AS BIGINT)";
      ids += (i == from ? "" : ", ") + id;
    }
    co_await tx.defer("UPDATE selections SET odds = " + cases + " END WHERE id IN (" + ids + ")", std::move(params));
  }
}

Awaitable<std::optional<FeedEvent>> FeedRepository::find_event(std::string provider, std::string provider_event_id) {
  const auto rows = co_await db_.query(kFeedEventSelect, provider, provider_event_id);
  co_return feed_event_of(rows);
}

Awaitable<std::vector<FeedMarket>> FeedRepository::markets(std::string provider, std::string provider_event_id) {
  const auto rows = co_await db_.query(kFeedMarketSelect, provider, provider_event_id);
  co_return feed_markets_of(rows);
}

Awaitable<void> FeedRepository::advance_sequence(std::string provider, std::string provider_event_id,
                                                 std::int64_t sequence, std::int64_t timestamp) {
  co_await db_.query(
      "UPDATE feed_events SET last_sequence = $1, last_timestamp = $2, updated_at = $3"
      " WHERE provider = $4 AND provider_event_id = $5 AND last_sequence < $1",
      sequence, timestamp, now_micros(), provider, provider_event_id);
}

Awaitable<void> FeedRepository::record_rollback(FeedRollback r) {
  co_await db_.query(
      "INSERT INTO feed_rollbacks (id, provider, provider_event_id, provider_market_id, market_id, sequence,"
      " received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      new_id("rbk"), r.provider, r.provider_event_id, r.provider_market_id, r.market_id, r.sequence, now_micros());
}

Awaitable<std::int64_t> FeedRepository::count_rollbacks() {
  const auto rows = co_await db_.query("SELECT COUNT(*) FROM feed_rollbacks");
  co_return rows.one().i64(0);
}

Awaitable<std::vector<FeedRollbackRow>> FeedRepository::rollbacks(
    int limit, std::optional<std::pair<std::int64_t, std::string>> after) {
  std::string sql =
      "SELECT id, provider, provider_event_id, provider_market_id, market_id, sequence, received_at"
      " FROM feed_rollbacks";
  std::vector<Value> params;
  if (after) {
    params.push_back(Value{after->first});
    params.push_back(Value{after->second});
    sql += " WHERE received_at < $1 OR (received_at = $1 AND id < $2)";
  }
  params.push_back(Value{std::int64_t{limit}});
  sql += " ORDER BY received_at DESC, id DESC LIMIT $" + std::to_string(params.size());
  const auto rows = co_await db_.execute(sql, std::move(params));
  std::vector<FeedRollbackRow> out;
  for (const auto& r : rows.rows) {
    FeedRollbackRow row;
    row.id = r.str(0);
    row.rollback = FeedRollback{r.str(1), r.str(2), r.str(3), r.opt_str(4), r.i64(5)};
    row.received_at = r.i64(6);
    out.push_back(std::move(row));
  }
  co_return out;
}

}  // namespace b2w::store
