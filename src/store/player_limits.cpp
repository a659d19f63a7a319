#include "store/player_limits.hpp"

#include <algorithm>

#include "store/wallet_usage.hpp"

namespace b2w::store {
namespace {

using domain::LimitPeriod;

constexpr const char* kSelectLimits =
    "SELECT kind, period, amount, pending, pending_amount, pending_from FROM player_limits WHERE user_id = $1"
    " ORDER BY kind, period";

std::vector<StoredLimit> limits_from(const Result& rows) {
  std::vector<StoredLimit> out;
  for (const auto& r : rows.rows) {
    const auto kind = domain::parse_limit_kind(r.str(0));
    const auto period = domain::parse_limit_period(r.str(1));
    if (!kind || !period) throw QueryError("player_limits: unknown kind or period " + r.str(0) + "/" + r.str(1));
    out.push_back(StoredLimit{*kind, *period,
                              domain::LimitSetting{.amount = r.opt_i64(2),
                                                   .pending = r.i64(3) != 0,
                                                   .pending_amount = r.opt_i64(4),
                                                   .pending_from = r.i64(5)}});
  }
  return out;
}

}  // namespace

ReadBatch::Later<PlayerGate> PlayerLimitRepository::read_gate(ReadBatch& reads, const std::string& user_id,
                                                              std::int64_t now, GateCount count,
                                                              std::int64_t day_start) {
  std::vector<Statement> statements;
  statements.push_back(
      Statement{"SELECT date_of_birth, excluded_until FROM users WHERE id = $1 FOR NO KEY UPDATE", values_of(user_id)});
  statements.push_back(Statement{std::string(kSelectLimits) + " FOR UPDATE", values_of(user_id)});
  if (count == GateCount::deposits) {
    const auto since = [now](LimitPeriod p) { return now - domain::window_micros(p); };
    // Month is the longest window: every row read is in it; the shorter windows are sums of a part.
    statements.push_back(
        Statement{"SELECT COALESCE(SUM(CASE WHEN created_at >= CAST($2 AS BIGINT) THEN amount ELSE 0 END), 0),"
                  " COALESCE(SUM(CASE WHEN created_at >= CAST($3 AS BIGINT) THEN amount ELSE 0 END), 0),"
                  " COALESCE(SUM(amount), 0) FROM payments WHERE user_id = $1 AND kind = 'deposit'"
                  " AND status IN ('pending', 'completed') AND created_at >= CAST($4 AS BIGINT)"
                  " AND EXISTS (SELECT 1 FROM player_limits WHERE user_id = $1)",
                  values_of(user_id, since(LimitPeriod::day), since(LimitPeriod::week), since(LimitPeriod::month))});
  } else {
    statements.push_back(usage_windows(user_id, now, true));
    statements.push_back(
        Statement{"SELECT COALESCE(SUM(potential_payout), 0) FROM bets WHERE user_id = $1"
                  " AND created_at >= CAST($2 AS BIGINT) AND status IN ('open', 'won', 'pending')",
                  values_of(user_id, day_start)});
  }
  return reads.add<PlayerGate>(std::move(statements), [count](std::span<const Result> results) {
    PlayerGate gate;
    if (!results[0].empty()) {
      const auto& row = results[0].rows.front();
      gate.standing = domain::PlayerStanding{.has_date_of_birth = !row.is_null(0), .excluded_until = row.opt_i64(1)};
    }
    gate.limits = limits_from(results[1]);
    if (count == GateCount::deposits) {
      const auto& deposits = results[2].one();
      for (std::size_t w = 0; w < 3; ++w) gate.usage.deposits[w] = deposits.i64(w);
    } else {
      const auto windows = usage_windows_from(results[2]);
      for (std::size_t w = 0; w < 3; ++w) {
        gate.usage.stakes[w] = windows[w].stakes;
        gate.usage.losses[w] = std::max<domain::Kobo>(0, windows[w].stakes - windows[w].paybacks);
      }
      gate.day_payouts = results[3].one().i64(0);
    }
    return gate;
  });
}

Awaitable<PlayerGate> PlayerLimitRepository::lock_gate(Tx& tx, std::string user_id, std::int64_t now, GateCount count,
                                                       std::int64_t day_start) {
  ReadBatch reads(tx.dialect());
  const auto gate = read_gate(reads, user_id, now, count, day_start);
  co_await reads.run(tx);
  co_return *gate;
}

Awaitable<std::vector<StoredLimit>> PlayerLimitRepository::lock(Tx& tx, std::string user_id) {
  const auto rows = co_await tx.exec(std::string(kSelectLimits) + " FOR UPDATE", std::move(user_id));
  co_return limits_from(rows);
}

Awaitable<void> PlayerLimitRepository::save(Tx& tx, std::string user_id, const StoredLimit& limit) {
  const auto& s = limit.setting;
  const std::string kind(domain::to_string(limit.kind)), period(domain::to_string(limit.period));
  if (!s.amount && !s.pending) {
    co_await tx.exec("DELETE FROM player_limits WHERE user_id = $1 AND kind = $2 AND period = $3", std::move(user_id),
                     kind, period);
    co_return;
  }
  co_await tx.exec(
      "INSERT INTO player_limits (user_id, kind, period, amount, pending, pending_amount, pending_from, updated_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_id, kind, period) DO UPDATE SET"
      " amount = excluded.amount, pending = excluded.pending, pending_amount = excluded.pending_amount,"
      " pending_from = excluded.pending_from, updated_at = excluded.updated_at",
      std::move(user_id), kind, period, s.amount, std::int64_t{s.pending ? 1 : 0}, s.pending_amount, s.pending_from,
      now_micros());
}

Awaitable<std::vector<StoredLimit>> PlayerLimitRepository::for_user(std::string user_id) {
  const auto rows = co_await db_.query(kSelectLimits, std::move(user_id));
  co_return limits_from(rows);
}

}  // namespace b2w::store
