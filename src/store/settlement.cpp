#include "store/settlement.hpp"

namespace b2w::store {

Awaitable<void> SettlementRepository::add_pending(Tx& tx, const std::string& market_id, std::int64_t recorded_at) {
  co_await tx.exec("INSERT INTO pending_settlements (market_id, recorded_at) VALUES ($1, $2)", market_id, recorded_at);
}

Awaitable<void> SettlementRepository::remove_pending(std::string market_id) {
  co_await db_.query("DELETE FROM pending_settlements WHERE market_id = $1", market_id);
}

Awaitable<std::vector<std::string>> SettlementRepository::pending(std::int64_t recorded_by, std::size_t limit) {
  const auto rows = co_await db_.query(
      "SELECT market_id FROM pending_settlements WHERE recorded_at <= $1 ORDER BY recorded_at, market_id LIMIT $2",
      recorded_by, static_cast<std::int64_t>(limit));
  std::vector<std::string> ids;
  for (const auto& r : rows.rows) ids.push_back(r.str(0));
  co_return ids;
}

Awaitable<std::optional<std::int64_t>> SettlementRepository::oldest_pending() {
  const auto rows = co_await db_.query("SELECT MIN(recorded_at) FROM pending_settlements");
  if (rows.rows.empty()) co_return std::nullopt;
  co_return rows.rows.front().opt_i64(0);
}

}  // namespace b2w::store
