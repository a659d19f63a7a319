#include "sportsbook/catalog.hpp"

#include <algorithm>
#include <set>

#include "domain/sportsbook.hpp"
#include "http/api_error.hpp"
#include "util/ids.hpp"

namespace b2w::sportsbook {

using http::ApiError;
using http::Status;
using store::Result;
using store::Row;
using store::Tx;
using store::Value;
using store::parameter_list;
using store::value_rows;

namespace {

constexpr const char* kEventColumns = "id, sport, name, home, away, starts_at, status";

Market market_of(const Row& r) {
  return Market{r.str(0), r.str(1), r.str(2), r.str(3), r.i64(4), {}};
}

Event event_of(const Row& r) {
  return Event{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.i64(5), r.str(6), {}};
}

Event new_event(NewEvent e) {
  return Event{new_id("evt"), std::move(e.sport), std::move(e.name), std::move(e.home), std::move(e.away), e.starts_at,
               "scheduled", {}};
}

Market new_market(std::string event_id, std::string name) {
  return Market{new_id("mkt"), std::move(event_id), std::move(name), "open", 1, {}};
}

ApiError event_not_found() { return ApiError::not_found("No event with this id"); }
ApiError market_not_found() { return ApiError::not_found("No market with this id"); }

// Markets with their selections, for the given markets (or every market of the given events).
Awaitable<std::vector<Market>> load_markets(store::Database& db, Tx* tx, const char* key_column,
                                            const std::vector<std::string>& keys) {
  std::vector<Market> out;
  if (keys.empty()) co_return out;
  std::vector<Value> params;
  for (const auto& k : keys) params.push_back(Value{k});
  const std::string sql =
      std::string("SELECT m.id, m.event_id, m.name, m.status, m.version, s.id, s.name, s.odds, s.result"
                  " FROM markets m JOIN selections s ON s.market_id = m.id WHERE m.") +
      key_column + " IN (" + parameter_list(1, keys.size()) + ") ORDER BY m.event_id, m.created_at, m.id, s.position";
  Result rows;
  if (tx) rows = co_await tx->execute(sql, std::move(params));
  else rows = co_await db.execute(sql, std::move(params));
  for (const auto& r : rows.rows) {
    if (out.empty() || out.back().id != r.str(0))
      out.push_back(market_of(r));
    out.back().selections.push_back(Selection{r.str(5), r.str(6), r.i64(7), r.opt_str(8)});
  }
  co_return out;
}

Awaitable<Event> event_in(Tx& tx, const std::string& id, bool lock) {
  const auto rows = co_await tx.exec(std::string("SELECT ") + kEventColumns + " FROM events WHERE id = $1" +
                                         (lock ? " FOR UPDATE" : ""),
                                     id);
  if (rows.empty()) throw event_not_found();
  co_return event_of(rows.one());
}

}  // namespace

Awaitable<Event> Catalog::create_event(NewEvent e) {
  const auto now = store::now_micros();
  auto event = new_event(std::move(e));
  co_await db_.query(
      "INSERT INTO events (id, sport, name, home, away, starts_at, status, created_at, updated_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
      event.id, event.sport, event.name, event.home, event.away, event.starts_at, event.status, now);
  co_return event;
}

Awaitable<Event> Catalog::update_event(std::string id, EventChange change) {
  co_return co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<Event> {
    auto event = co_await event_in(tx, id, true);
    if (change.status && !domain::event_transition_allowed(event.status, *change.status))
      throw ApiError(Status::conflict, "invalid_transition",
                     "An event that is " + event.status + " cannot become " + *change.status);
    if (change.starts_at && (event.status == "finished" || event.status == "cancelled"))
      throw ApiError(Status::conflict, "event_closed", "A " + event.status + " event cannot be rescheduled");
    if (change.status) event.status = *change.status;
    if (change.starts_at) event.starts_at = *change.starts_at;
    co_await tx.exec("UPDATE events SET status = $1, starts_at = $2, updated_at = $3 WHERE id = $4", event.status,
                     event.starts_at, store::now_micros(), id);
    std::vector<std::string> ids(1, id);
    event.markets = co_await load_markets(db_, &tx, "event_id", ids);
    co_return event;
  });
}

Awaitable<Market> Catalog::create_market(std::string event_id, NewMarket m) {
  co_return co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<Market> {
    // The event row is locked so a market is never added to an event being closed.
    const auto event = co_await event_in(tx, event_id, true);
    if (event.status == "finished" || event.status == "cancelled")
      throw ApiError(Status::conflict, "event_closed", "Markets cannot be added to a " + event.status + " event");
    const auto now = store::now_micros();
    auto market = new_market(event_id, m.name);
    co_await tx.exec(
        "INSERT INTO markets (id, event_id, name, status, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        market.id, market.event_id, market.name, market.status, market.version, now);
    std::vector<Value> params;
    for (std::size_t i = 0; i < m.selections.size(); ++i) {
      auto s = Selection{new_id("sel"), m.selections[i].first, m.selections[i].second, std::nullopt};
      params.push_back(Value{s.id});
      params.push_back(Value{market.id});
      params.push_back(Value{static_cast<std::int64_t>(i)});
      params.push_back(Value{s.name});
      params.push_back(Value{s.odds});
      market.selections.push_back(std::move(s));
    }
    co_await tx.execute("INSERT INTO selections (id, market_id, position, name, odds) VALUES " +
                            value_rows(m.selections.size(), 5),
                        std::move(params));
    co_return market;
  });
}

Awaitable<Market> Catalog::update_market(std::string id, MarketChange change) {
  co_return co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<Market> {
    // Locking the market row first orders this change against bet placements (which share-lock it).
    const auto locked = co_await tx.exec("SELECT status FROM markets WHERE id = $1 FOR UPDATE", id);
    if (locked.empty()) throw market_not_found();
    const auto status = locked.one().str(0);
    if (domain::market_is_final(status))
      throw ApiError(Status::conflict, "market_settled", "A " + status + " market cannot be changed");
    std::vector<std::string> ids(1, id);
    auto current = co_await load_markets(db_, &tx, "id", ids);
    std::set<std::string> known;
    for (const auto& s : current.at(0).selections) known.insert(s.id);
    auto invalid = ApiError::validation("Every selection must belong to this market");
    bool bad = false;
    for (std::size_t i = 0; i < change.odds.size(); ++i)
      if (!known.count(change.odds[i].first)) {
        invalid.detail("selections[" + std::to_string(i) + "].id", "is not a selection of this market");
        bad = true;
      }
    if (bad) throw invalid;
    const auto now = store::now_micros();
    for (const auto& [selection_id, odds] : change.odds)
      co_await tx.exec("UPDATE selections SET odds = $1 WHERE id = $2", odds, selection_id);
    co_await tx.exec("UPDATE markets SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3",
                     change.status.value_or(status), now, id);
    auto after = co_await load_markets(db_, &tx, "id", ids);
    co_return std::move(after.at(0));
  });
}

Awaitable<std::optional<Event>> Catalog::find_event(std::string id) {
  const auto rows = co_await db_.query(std::string("SELECT ") + kEventColumns + " FROM events WHERE id = $1", id);
  if (rows.empty()) co_return std::nullopt;
  std::vector<Event> events;
  events.push_back(event_of(rows.one()));
  co_await attach_markets(events);
  co_return std::move(events.front());
}

Awaitable<std::optional<Market>> Catalog::find_market(std::string id) {
  std::vector<std::string> ids(1, id);
  auto markets = co_await load_markets(db_, nullptr, "id", ids);
  if (markets.empty()) co_return std::nullopt;
  co_return std::move(markets.front());
}

Awaitable<std::vector<Event>> Catalog::list_events(EventFilter f) {
  std::string sql = std::string("SELECT ") + kEventColumns + " FROM events WHERE 1 = 1";
  std::vector<Value> params;
  auto next = [&] { return "$" + std::to_string(params.size()); };
  if (f.sport) {
    params.push_back(Value{*f.sport});
    sql += " AND sport = " + next();
  }
  if (!f.statuses.empty()) {
    sql += " AND status IN (" + parameter_list(params.size() + 1, f.statuses.size()) + ")";
    for (const auto& s : f.statuses) params.push_back(Value{s});
  }
  if (f.from) {
    params.push_back(Value{*f.from});
    sql += " AND starts_at >= " + next();
  }
  if (f.to) {
    params.push_back(Value{*f.to});
    sql += " AND starts_at < " + next();
  }
  if (f.after) {
    params.push_back(Value{f.after->first});
    const auto at = next();
    params.push_back(Value{f.after->second});
    sql += " AND (starts_at > " + at + " OR (starts_at = " + at + " AND id > " + next() + "))";
  }
  params.push_back(Value{std::int64_t{f.limit}});
  sql += " ORDER BY starts_at, id LIMIT " + next();
  const auto rows = co_await db_.execute(sql, std::move(params));
  std::vector<Event> events;
  for (const auto& r : rows.rows) events.push_back(event_of(r));
  co_await attach_markets(events);
  co_return events;
}

Awaitable<std::vector<SportCount>> Catalog::sport_counts() {
  const auto rows =
      co_await db_.query("SELECT sport, COUNT(*) FROM events WHERE status IN ('scheduled', 'live') GROUP BY sport");
  std::vector<SportCount> out;
  for (const auto& r : rows.rows) out.push_back({r.str(0), r.i64(1)});
  co_return out;
}

Awaitable<std::vector<std::string>> Catalog::open_market_ids(std::string event_id) {
  const auto rows = co_await db_.query(
      "SELECT id FROM markets WHERE event_id = $1 AND status IN ('open', 'suspended') ORDER BY created_at, id", event_id);
  std::vector<std::string> out;
  for (const auto& r : rows.rows) out.push_back(r.str(0));
  co_return out;
}

Awaitable<void> Catalog::attach_markets(std::vector<Event>& events) {
  std::vector<std::string> ids;
  for (const auto& e : events) ids.push_back(e.id);
  auto markets = co_await load_markets(db_, nullptr, "event_id", ids);
  for (auto& m : markets)
    for (auto& e : events)
      if (e.id == m.event_id) {
        e.markets.push_back(std::move(m));
        break;
      }
}

}  // namespace b2w::sportsbook
