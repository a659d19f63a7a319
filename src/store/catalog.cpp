#include "store/catalog.hpp"

namespace b2w::store {

namespace {

constexpr const char* kEventColumns = "id, sport, name, home, away, starts_at, status";
// Markets with their selections, one row per selection.
constexpr const char* kMarketSelect =
    "SELECT m.id, m.event_id, m.name, m.status, m.version, s.id, s.name, s.odds, s.result, m.live"
    " FROM markets m JOIN selections s ON s.market_id = m.id";
constexpr const char* kMarketOrder = " ORDER BY m.event_id, m.created_at, m.id, s.position";

std::optional<domain::LegResult> selection_result(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  const auto result = domain::parse_leg_result(*text);
  if (!result || *result == domain::LegResult::open) throw QueryError("unknown selection result " + *text);
  return result;
}

// The one reader of events rows (kEventColumns).
Event event_of(const Row& r) {
  Event e;
  e.id = r.str(0);
  e.sport = r.str(1);
  e.name = r.str(2);
  e.home = r.str(3);
  e.away = r.str(4);
  e.starts_at = r.i64(5);
  e.status = event_status_column(r.str(6));
  return e;
}

std::vector<Event> events_of(const Result& rows) {
  std::vector<Event> out;
  for (const auto& r : rows.rows) out.push_back(event_of(r));
  return out;
}

// The one reader of markets and selections rows (kMarketSelect): a market per run of its selections.
std::vector<Market> markets_of(const Result& rows) {
  std::vector<Market> out;
  for (const auto& r : rows.rows) {
    if (out.empty() || out.back().id != r.str(0)) {
      Market m;
      m.id = r.str(0);
      m.event_id = r.str(1);
      m.name = r.str(2);
      m.status = market_status_column(r.str(3));
      m.version = r.i64(4);
      m.live = r.i64(9) != 0;
      out.push_back(std::move(m));
    }
    out.back().selections.push_back(Selection{r.str(5), r.str(6), r.i64(7), selection_result(r.opt_str(8))});
  }
  return out;
}

std::optional<Market> first_market(const Result& rows) {
  auto markets = markets_of(rows);
  if (markets.empty()) return std::nullopt;
  return std::move(markets.front());
}

// The markets of the given markets (key "id") or events (key "event_id").
Statement markets_where(const char* key_column, const std::vector<std::string>& keys) {
  std::vector<Value> params;
  for (const auto& k : keys) params.push_back(Value{k});
  return Statement{std::string(kMarketSelect) + " WHERE m." + key_column + " IN (" + parameter_list(1, keys.size()) +
                       ")" + kMarketOrder,
                   std::move(params)};
}

// The events the filter selects, by start time then id.
Statement events_where(const EventFilter& f) {
  std::string sql = std::string("SELECT ") + kEventColumns + " FROM events WHERE 1 = 1";
  std::vector<Value> params;
  auto next = [&] { return "$" + std::to_string(params.size()); };
  if (f.sport) {
    params.push_back(Value{*f.sport});
    sql += " AND sport = " + next();
  }
  if (!f.statuses.empty()) {
    sql += " AND status IN (" + parameter_list(params.size() + 1, f.statuses.size()) + ")";
    for (const auto s : f.statuses) params.push_back(Value{std::string(domain::to_string(s))});
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
  return Statement{std::move(sql), std::move(params)};
}

std::vector<Value> texts(const std::vector<std::string>& items) {
  std::vector<Value> out;
  for (const auto& s : items) out.push_back(Value{s});
  return out;
}

}  // namespace

domain::EventStatus event_status_column(const std::string& text) {
  const auto status = domain::parse_event_status(text);
  if (!status) throw QueryError("unknown event status " + text);
  return *status;
}

domain::MarketStatus market_status_column(const std::string& text) {
  const auto status = domain::parse_market_status(text);
  if (!status) throw QueryError("unknown market status " + text);
  return *status;
}

Awaitable<std::optional<Event>> CatalogRepository::lock_event(Tx& tx, const std::string& id) {
  const auto rows =
      co_await tx.exec(std::string("SELECT ") + kEventColumns + " FROM events WHERE id = $1 FOR UPDATE", id);
  if (rows.empty()) co_return std::nullopt;
  co_return event_of(rows.one());
}

Awaitable<void> CatalogRepository::update_event(Tx& tx, const Event& event, std::int64_t now) {
  co_await tx.exec("UPDATE events SET status = $1, starts_at = $2, updated_at = $3 WHERE id = $4",
                   domain::to_string(event.status), event.starts_at, now, event.id);
}

Awaitable<void> CatalogRepository::insert_market(Tx& tx, const Market& market, std::int64_t now) {
  co_await tx.exec(
      "INSERT INTO markets (id, event_id, name, status, version, live, created_at, updated_at) VALUES ($1, $2, $3, $4, "
      "$5, $6, $7, $7)",
      market.id, market.event_id, market.name, domain::to_string(market.status), market.version,
      std::int64_t{market.live ? 1 : 0}, now);
  std::vector<Value> params;
  for (std::size_t i = 0; i < market.selections.size(); ++i) {
    const auto& s = market.selections[i];
    params.push_back(Value{s.id});
    params.push_back(Value{market.id});
    params.push_back(Value{static_cast<std::int64_t>(i)});
    params.push_back(Value{s.name});
    params.push_back(Value{s.odds});
  }
  co_await tx.execute(
      "INSERT INTO selections (id, market_id, position, name, odds) VALUES " + value_rows(market.selections.size(), 5),
      std::move(params));
}

Awaitable<std::optional<domain::MarketStatus>> CatalogRepository::lock_market(Tx& tx, const std::string& id) {
  const auto rows = co_await tx.exec("SELECT status FROM markets WHERE id = $1 FOR UPDATE", id);
  if (rows.empty()) co_return std::nullopt;
  co_return market_status_column(rows.one().str(0));
}

Awaitable<std::optional<Market>> CatalogRepository::market(Tx& tx, const std::string& id) {
  auto statement = markets_where("id", std::vector<std::string>(1, id));
  const auto rows = co_await tx.execute(statement.sql, std::move(statement.params));
  co_return first_market(rows);
}

Awaitable<std::vector<Market>> CatalogRepository::markets_of_event(Tx& tx, const std::string& event_id) {
  auto statement = markets_where("event_id", std::vector<std::string>(1, event_id));
  const auto rows = co_await tx.execute(statement.sql, std::move(statement.params));
  co_return markets_of(rows);
}

Awaitable<void> CatalogRepository::set_odds(Tx& tx, const std::string& selection_id, domain::Odds odds) {
  co_await tx.exec("UPDATE selections SET odds = $1 WHERE id = $2", odds, selection_id);
}

Awaitable<void> CatalogRepository::set_result(Tx& tx, const std::string& selection_id, domain::LegResult result) {
  co_await tx.exec("UPDATE selections SET result = $1 WHERE id = $2", domain::to_string(result), selection_id);
}

Awaitable<void> CatalogRepository::set_market_status(Tx& tx, const std::string& id, domain::MarketStatus status,
                                                     std::int64_t now) {
  co_await tx.exec("UPDATE markets SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3",
                   domain::to_string(status), now, id);
}

ReadBatch::Later<Offers> CatalogRepository::read_offers(ReadBatch& reads,
                                                        const std::vector<std::string>& selection_ids) {
  const auto in_list = parameter_list(1, selection_ids.size());
  std::vector<Statement> statements;
  statements.push_back(Statement{
      "SELECT s.id, s.market_id, s.odds, m.event_id, m.status, e.status, e.starts_at, m.live, e.sport FROM selections s"
      " JOIN markets m ON m.id = s.market_id JOIN events e ON e.id = m.event_id WHERE s.id IN (" +
          in_list + ") FOR SHARE OF m",
      texts(selection_ids)});
  // The odds again, in a statement that starts after the locks were granted: if the lock waited for
  // an odds change, the locking statement re-read only the locked rows (markets, events), not the
  // selections, so its odds may be the ones from before the change. (The server runs it once the
  // first one has its locks, also when both travel in one round trip.)
  statements.push_back(
      Statement{"SELECT id, odds FROM selections WHERE id IN (" + in_list + ")", texts(selection_ids)});
  return reads.add<Offers>(std::move(statements), [](std::span<const Result> results) {
    Offers offers;
    for (const auto& r : results[0].rows)
      offers.emplace(r.str(0), Offer{r.str(1), r.i64(2), r.str(3), market_status_column(r.str(4)),
                                     event_status_column(r.str(5)), r.i64(6), r.i64(7) != 0, r.str(8)});
    for (const auto& r : results[1].rows)
      if (auto it = offers.find(r.str(0)); it != offers.end()) it->second.odds = r.i64(1);
    return offers;
  });
}

Awaitable<Offers> CatalogRepository::lock_offers(Tx& tx, const std::vector<std::string>& selection_ids) {
  ReadBatch reads(tx.dialect());
  const auto offers = read_offers(reads, selection_ids);
  co_await reads.run(tx);
  co_return *offers;
}

Awaitable<void> CatalogRepository::insert_event(Tx& tx, const Event& e, std::int64_t now) {
  co_await tx.exec(
      "INSERT INTO events (id, sport, name, home, away, starts_at, status, created_at, updated_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
      e.id, e.sport, e.name, e.home, e.away, e.starts_at, domain::to_string(e.status), now);
}

Awaitable<void> CatalogRepository::insert_event(const Event& e, std::int64_t now) {
  co_await transaction(db_, [&](Tx& tx) -> Awaitable<void> { co_await insert_event(tx, e, now); });
}

Awaitable<std::optional<Event>> CatalogRepository::find_event(std::string id) {
  const auto rows = co_await db_.query(std::string("SELECT ") + kEventColumns + " FROM events WHERE id = $1", id);
  auto events = co_await with_markets(events_of(rows));
  if (events.empty()) co_return std::nullopt;
  co_return std::move(events.front());
}

Awaitable<std::optional<Market>> CatalogRepository::find_market(std::string id) {
  auto statement = markets_where("id", std::vector<std::string>(1, id));
  const auto rows = co_await db_.execute(std::move(statement.sql), std::move(statement.params));
  co_return first_market(rows);
}

Awaitable<std::vector<Market>> CatalogRepository::find_markets(std::vector<std::string> ids) {
  if (ids.empty()) co_return std::vector<Market>();
  auto statement = markets_where("id", ids);
  const auto rows = co_await db_.execute(std::move(statement.sql), std::move(statement.params));
  co_return markets_of(rows);
}

Awaitable<std::vector<Event>> CatalogRepository::list_events(EventFilter filter) {
  auto statement = events_where(filter);
  const auto rows = co_await db_.execute(std::move(statement.sql), std::move(statement.params));
  co_return co_await with_markets(events_of(rows));
}

Awaitable<std::vector<SportCount>> CatalogRepository::sport_counts(std::vector<domain::EventStatus> statuses) {
  if (statuses.empty()) co_return std::vector<SportCount>();
  std::vector<Value> params;
  for (const auto s : statuses) params.push_back(Value{std::string(domain::to_string(s))});
  const auto rows = co_await db_.execute(
      "SELECT sport, COUNT(*) FROM events WHERE status IN (" + parameter_list(1, statuses.size()) + ") GROUP BY sport",
      std::move(params));
  std::vector<SportCount> out;
  for (const auto& r : rows.rows) out.push_back({r.str(0), r.i64(1)});
  co_return out;
}

Awaitable<std::vector<std::string>> CatalogRepository::market_ids(std::string event_id,
                                                                  std::vector<domain::MarketStatus> statuses) {
  if (statuses.empty()) co_return std::vector<std::string>();
  std::vector<Value> params;
  params.push_back(Value{event_id});
  for (const auto s : statuses) params.push_back(Value{std::string(domain::to_string(s))});
  const auto rows = co_await db_.execute("SELECT id FROM markets WHERE event_id = $1 AND status IN (" +
                                             parameter_list(2, statuses.size()) + ") ORDER BY created_at, id",
                                         std::move(params));
  std::vector<std::string> out;
  for (const auto& r : rows.rows) out.push_back(r.str(0));
  co_return out;
}

Awaitable<std::vector<Event>> CatalogRepository::with_markets(std::vector<Event> events) {
  if (events.empty()) co_return events;
  std::vector<std::string> ids;
  for (const auto& e : events) ids.push_back(e.id);
  auto statement = markets_where("event_id", ids);
  const auto rows = co_await db_.execute(std::move(statement.sql), std::move(statement.params));
  for (auto& m : markets_of(rows))
    for (auto& e : events)
      if (e.id == m.event_id) {
        e.markets.push_back(std::move(m));
        break;
      }
  co_return events;
}

}  // namespace b2w::store
