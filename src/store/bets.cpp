#include "store/bets.hpp"

namespace b2w::store {

namespace {

constexpr const char* kBetColumns =
    "id, user_id, idempotency_key, request_hash, status, stake, total_odds, potential_payout, payout, created_at,"
    " settled_at, accept_at, odds_change, reject_reason";
constexpr const char* kLegColumns = "bet_id, selection_id, market_id, event_id, odds, status";

// The one reader of bets rows (kBetColumns).
Bet bet_of(const Row& r) {
  Bet b;
  b.id = r.str(0);
  b.user_id = r.str(1);
  b.idempotency_key = r.str(2);
  b.request_hash = r.str(3);
  const auto status = domain::parse_bet_status(r.str(4));
  if (!status) throw QueryError("bet " + b.id + " has an unknown status");
  b.status = *status;
  b.stake = r.i64(5);
  b.total_odds = r.str(6);
  b.potential_payout = r.i64(7);
  b.payout = r.opt_i64(8);
  b.created_at = r.i64(9);
  b.settled_at = r.opt_i64(10);
  b.accept_at = r.opt_i64(11);
  if (const auto policy = r.opt_str(12)) b.odds_change = domain::parse_odds_change(*policy);
  if (const auto reason = r.opt_str(13)) b.reject_reason = domain::parse_reject_reason(*reason);
  return b;
}

std::vector<Bet> bets_of(const Result& rows) {
  std::vector<Bet> out;
  for (const auto& r : rows.rows) out.push_back(bet_of(r));
  return out;
}

// The one reader of bet_legs rows (kLegColumns), by bet id.
std::unordered_map<std::string, std::vector<BetLeg>> legs_by_bet(const Result& rows) {
  std::unordered_map<std::string, std::vector<BetLeg>> out;
  for (const auto& r : rows.rows) {
    const auto status = domain::parse_leg_result(r.str(5));
    if (!status) throw QueryError("a leg of bet " + r.str(0) + " has an unknown status");
    out[r.str(0)].push_back(BetLeg{r.str(1), r.str(2), r.str(3), r.i64(4), *status});
  }
  return out;
}

// The legs of the given bets, in slip order.
Statement legs_statement(const std::vector<std::string>& bet_ids) {
  std::vector<Value> params;
  for (const auto& id : bet_ids) params.push_back(Value{id});
  return Statement{std::string("SELECT ") + kLegColumns + " FROM bet_legs WHERE bet_id IN (" +
                       parameter_list(1, bet_ids.size()) + ") ORDER BY bet_id, seq",
                   std::move(params)};
}

std::string_view policy_name(domain::OddsChange policy) {
  switch (policy) {
    case domain::OddsChange::higher:
      return "higher";
    case domain::OddsChange::any:
      return "any";
    case domain::OddsChange::none:
      break;
  }
  return "none";
}

std::vector<Value> bet_values(const Bet& b) {
  auto values = values_of(b.id, b.user_id, b.idempotency_key, b.request_hash, b.stake, b.total_odds, b.potential_payout,
                          domain::to_string(b.status), b.created_at);
  values.push_back(b.accept_at ? Value{*b.accept_at} : null_value);
  values.push_back(b.odds_change ? Value{std::string(policy_name(*b.odds_change))} : null_value);
  return values;
}

std::vector<Value> leg_values(const Bet& b) {
  std::vector<Value> params;
  for (std::size_t i = 0; i < b.legs.size(); ++i) {
    const auto& l = b.legs[i];
    params.push_back(Value{b.id});
    params.push_back(Value{static_cast<std::int64_t>(i)});
    params.push_back(Value{l.selection_id});
    params.push_back(Value{l.market_id});
    params.push_back(Value{l.event_id});
    params.push_back(Value{l.odds});
    params.push_back(Value{std::string(domain::to_string(l.status))});
  }
  return params;
}

std::vector<Value> ids_then(const std::vector<std::string>& ids, std::string_view last) {
  std::vector<Value> params;
  for (const auto& id : ids) params.push_back(Value{id});
  params.push_back(Value{std::string(last)});
  return params;
}

}  // namespace

Awaitable<void> BetRepository::insert(Tx& tx, const Bet& bet) {
  co_await tx.defer(
      "INSERT INTO bets (id, user_id, idempotency_key, request_hash, stake, total_odds, potential_payout, status, "
      "created_at, accept_at, odds_change)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      bet_values(bet));
  co_await tx.defer("INSERT INTO bet_legs (bet_id, seq, selection_id, market_id, event_id, odds, status) VALUES " +
                        value_rows(bet.legs.size(), 7),
                    leg_values(bet));
}

Awaitable<std::vector<Bet>> BetRepository::lock_with_open_leg(Tx& tx, const std::string& market_id, std::size_t limit) {
  const auto rows =
      co_await tx.exec(std::string("SELECT ") + kBetColumns +
                           " FROM bets WHERE id IN (SELECT bet_id FROM bet_legs"
                           " WHERE market_id = $1 AND status = $2 ORDER BY bet_id LIMIT $3) ORDER BY id FOR UPDATE",
                       market_id, domain::to_string(domain::LegResult::open), static_cast<std::int64_t>(limit));
  co_return bets_of(rows);
}

Awaitable<void> BetRepository::resolve_open_legs(Tx& tx, const std::vector<std::string>& bet_ids) {
  const auto open = "$" + std::to_string(bet_ids.size() + 1);
  co_await tx.execute(
      "UPDATE bet_legs SET status = (SELECT s.result FROM selections s WHERE s.id = bet_legs.selection_id)"
      " WHERE bet_id IN (" +
          parameter_list(1, bet_ids.size()) + ") AND status = " + open +
          " AND EXISTS"
          " (SELECT 1 FROM selections s WHERE s.id = bet_legs.selection_id AND s.result IS NOT NULL)",
      ids_then(bet_ids, domain::to_string(domain::LegResult::open)));
}

Awaitable<std::unordered_map<std::string, std::vector<BetLeg>>> BetRepository::legs_of(
    Tx& tx, const std::vector<std::string>& bet_ids) {
  auto statement = legs_statement(bet_ids);
  const auto rows = co_await tx.execute(statement.sql, std::move(statement.params));
  co_return legs_by_bet(rows);
}

Awaitable<void> BetRepository::close(Tx& tx, const std::vector<BetClosing>& closings, std::int64_t now) {
  if (closings.empty()) co_return;
  std::vector<Value> params;
  for (const auto& c : closings) {
    params.push_back(Value{c.bet_id});
    params.push_back(Value{std::string(domain::to_string(c.status))});
    params.push_back(Value{c.payout});
    params.push_back(Value{now});
  }
  params.push_back(Value{std::string(domain::to_string(domain::BetStatus::open))});
  // Built before the call: the order in which a call's arguments are evaluated is unspecified, and
  // std::move(params) must not run before params.size() is read.
  const std::string sql =
      "UPDATE bets SET status = v.column2, payout = CAST(v.column3 AS BIGINT), settled_at = CAST(v.column4 AS BIGINT)"
      " FROM (VALUES " +
      value_rows(closings.size(), 4) + ") AS v WHERE bets.id = v.column1 AND bets.status = $" +
      std::to_string(params.size());
  co_await tx.defer_expecting(static_cast<std::int64_t>(closings.size()), sql, std::move(params));
}

Awaitable<std::vector<Bet>> BetRepository::claim_due(Tx& tx, std::int64_t now, std::size_t limit,
                                                     std::optional<std::string> only) {
  std::string sql = std::string("SELECT ") + kBetColumns + " FROM bets WHERE status = $1 AND accept_at <= $2";
  auto params = values_of(domain::to_string(domain::BetStatus::pending), now, static_cast<std::int64_t>(limit));
  if (only) {
    sql += " AND id = $4";
    params.push_back(Value{*only});
  }
  sql += " ORDER BY accept_at, id LIMIT $3 FOR UPDATE SKIP LOCKED";
  const auto rows = co_await tx.execute(sql, std::move(params));
  auto bets = bets_of(rows);
  if (bets.empty()) co_return bets;
  std::vector<std::string> ids;
  for (const auto& b : bets) ids.push_back(b.id);
  auto statement = legs_statement(ids);
  const auto leg_rows = co_await tx.execute(statement.sql, std::move(statement.params));
  auto legs = legs_by_bet(leg_rows);
  for (auto& b : bets) b.legs = std::move(legs[b.id]);
  co_return bets;
}

Awaitable<void> BetRepository::accept(Tx& tx, const Bet& bet, const std::vector<domain::Odds>& odds,
                                      const std::string& total_odds, domain::Kobo potential_payout) {
  co_await tx.defer_expecting(
      1, "UPDATE bets SET status = $1, total_odds = $2, potential_payout = $3 WHERE id = $4 AND status = $5",
      values_of(domain::to_string(domain::BetStatus::open), total_odds, potential_payout, bet.id,
                domain::to_string(domain::BetStatus::pending)));
  for (std::size_t i = 0; i < odds.size() && i < bet.legs.size(); ++i) {
    if (odds[i] == bet.legs[i].odds) continue;
    co_await tx.defer_expecting(1, "UPDATE bet_legs SET odds = $1 WHERE bet_id = $2 AND seq = $3",
                                values_of(odds[i], bet.id, static_cast<std::int64_t>(i)));
  }
}

Awaitable<void> BetRepository::reject(Tx& tx, const std::string& bet_id, domain::RejectReason reason,
                                      std::int64_t now) {
  co_await tx.defer_expecting(
      1, "UPDATE bets SET status = $1, reject_reason = $2, settled_at = $3 WHERE id = $4 AND status = $5",
      values_of(domain::to_string(domain::BetStatus::rejected), domain::to_string(reason), now, bet_id,
                domain::to_string(domain::BetStatus::pending)));
}

Awaitable<std::optional<Bet>> BetRepository::find(std::string user_id, std::string bet_id) {
  const auto rows = co_await db_.query(
      std::string("SELECT ") + kBetColumns + " FROM bets WHERE id = $1 AND user_id = $2", bet_id, user_id);
  auto bets = co_await with_legs(bets_of(rows));
  if (bets.empty()) co_return std::nullopt;
  co_return std::move(bets.front());
}

Awaitable<std::optional<Bet>> BetRepository::find_by_key(std::string user_id, std::string idempotency_key) {
  const auto rows = co_await db_.query(
      std::string("SELECT ") + kBetColumns + " FROM bets WHERE user_id = $1 AND idempotency_key = $2", user_id,
      idempotency_key);
  auto bets = co_await with_legs(bets_of(rows));
  if (bets.empty()) co_return std::nullopt;
  co_return std::move(bets.front());
}

Awaitable<std::vector<Bet>> BetRepository::list(std::string user_id, std::optional<domain::BetStatus> status, int limit,
                                                std::optional<std::pair<std::int64_t, std::string>> after) {
  std::string sql = std::string("SELECT ") + kBetColumns + " FROM bets WHERE user_id = $1";
  std::vector<Value> params;
  params.push_back(Value{user_id});
  if (status) {
    params.push_back(Value{std::string(domain::to_string(*status))});
    sql += " AND status = $" + std::to_string(params.size());
  }
  if (after) {
    params.push_back(Value{after->first});
    const auto at = "$" + std::to_string(params.size());
    params.push_back(Value{after->second});
    // A row comparison, not "created_at < $a OR (created_at = $a AND id < $b)": both databases make it a range
    // of the (user_id, created_at, id) index, so a deep page costs what the first does (the OR form was a
    // filter over every newer bet).
    sql += " AND (created_at, id) < (CAST(" + at + " AS BIGINT), $" + std::to_string(params.size()) + ")";
  }
  params.push_back(Value{std::int64_t{limit}});
  sql += " ORDER BY created_at DESC, id DESC LIMIT $" + std::to_string(params.size());
  const auto rows = co_await db_.execute(sql, std::move(params));
  co_return co_await with_legs(bets_of(rows));
}

Awaitable<MarketLiability> BetRepository::market_liability(std::string market_id) {
  const std::string open(domain::to_string(domain::BetStatus::open));
  const std::string open_leg(domain::to_string(domain::LegResult::open));
  MarketLiability out;
  const auto totals = co_await db_.query(
      "SELECT COUNT(*), CAST(COALESCE(SUM(stake), 0) AS BIGINT) FROM bets WHERE status = $1 AND id IN "
      "(SELECT bet_id FROM bet_legs WHERE market_id = $2 AND status = $3)",
      open, market_id, open_leg);
  if (!totals.rows.empty()) {
    out.open_bets = totals.rows.front().i64(0);
    out.open_stakes = totals.rows.front().i64(1);
  }
  const auto rows = co_await db_.query(
      "SELECT s.id, s.name, s.odds, COUNT(b.id), CAST(COALESCE(SUM(b.stake), 0) AS BIGINT), "
      "CAST(COALESCE(SUM(b.potential_payout), 0) AS BIGINT) FROM selections s "
      "LEFT JOIN bet_legs l ON l.selection_id = s.id AND l.status = $2 "
      "LEFT JOIN bets b ON b.id = l.bet_id AND b.status = $3 "
      "WHERE s.market_id = $1 GROUP BY s.id, s.name, s.odds, s.position ORDER BY s.position",
      market_id, open_leg, open);
  for (const auto& r : rows.rows)
    out.selections.push_back(SelectionLiability{r.str(0), r.str(1), r.i64(2), r.i64(3), r.i64(4), r.i64(5)});
  co_return out;
}

Awaitable<std::vector<Bet>> BetRepository::with_legs(std::vector<Bet> bets) {
  if (bets.empty()) co_return bets;
  std::vector<std::string> ids;
  for (const auto& b : bets) ids.push_back(b.id);
  auto statement = legs_statement(ids);
  const auto rows = co_await db_.execute(std::move(statement.sql), std::move(statement.params));
  auto legs = legs_by_bet(rows);
  for (auto& b : bets) b.legs = std::move(legs[b.id]);
  co_return bets;
}

}  // namespace b2w::store
