#include "store/dashboard.hpp"

#include <string>

#include "domain/betting.hpp"
#include "domain/payment_states.hpp"

namespace b2w::store {

Awaitable<DayFigures> DashboardRepository::figures(std::int64_t from, std::int64_t to) {
  using domain::BetStatus;
  const std::string open(domain::to_string(BetStatus::open));
  const std::string won(domain::to_string(BetStatus::won));
  const std::string lost(domain::to_string(BetStatus::lost));
  const std::string void_(domain::to_string(BetStatus::void_));
  DayFigures f;
  const auto placed = co_await db_.query(
      "SELECT COUNT(*), CAST(COALESCE(SUM(stake), 0) AS BIGINT), COUNT(DISTINCT user_id) FROM bets "
      "WHERE created_at >= $1 AND created_at < $2 AND status IN ($3, $4, $5, $6)",
      from, to, open, won, lost, void_);
  f.bets = placed.rows.at(0).i64(0);
  f.turnover = placed.rows.at(0).i64(1);
  f.active_players = placed.rows.at(0).i64(2);
  const auto settled = co_await db_.query(
      "SELECT COUNT(*), CAST(COALESCE(SUM(stake), 0) AS BIGINT), CAST(COALESCE(SUM(payout), 0) AS BIGINT) FROM bets "
      "WHERE settled_at >= $1 AND settled_at < $2 AND status IN ($3, $4)",
      from, to, won, lost);
  f.settled_bets = settled.rows.at(0).i64(0);
  f.settled_stakes = settled.rows.at(0).i64(1);
  f.payouts = settled.rows.at(0).i64(2);
  const std::string completed(domain::to_string(domain::PaymentStatus::completed));
  for (const auto kind : {domain::PaymentKind::deposit, domain::PaymentKind::withdrawal}) {
    const std::string kind_text(domain::to_string(kind));
    const auto paid = co_await db_.query(
        "SELECT COUNT(*), CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM payments "
        "WHERE kind = $1 AND status = $2 AND updated_at >= $3 AND updated_at < $4",
        kind_text, completed, from, to);
    const auto count = paid.rows.at(0).i64(0);
    const auto amount = paid.rows.at(0).i64(1);
    if (kind == domain::PaymentKind::deposit) {
      f.deposits = count;
      f.deposited = amount;
    } else {
      f.withdrawals = count;
      f.withdrawn = amount;
    }
  }
  const auto open_now = co_await db_.query(
      "SELECT COUNT(*), CAST(COALESCE(SUM(stake), 0) AS BIGINT), CAST(COALESCE(SUM(potential_payout), 0) AS BIGINT) "
      "FROM bets WHERE status = $1",
      open);
  f.open_bets = open_now.rows.at(0).i64(0);
  f.open_stakes = open_now.rows.at(0).i64(1);
  f.open_liability = open_now.rows.at(0).i64(2);
  co_return f;
}

}  // namespace b2w::store
