#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db/database.hpp"

namespace b2w::store {

// pending_settlements: the markets whose results are recorded but whose bets may not all be settled
// yet. Recording the results adds the market (same transaction); the settlement that finds no open
// leg left removes it; a task that dies between batches leaves it for the resumer of any task.
class SettlementRepository {
 public:
  explicit SettlementRepository(Database& db) : db_(db) {}

  static Awaitable<void> add_pending(Tx& tx, const std::string& market_id, std::int64_t recorded_at);
  Awaitable<void> remove_pending(std::string market_id);
  // Markets recorded at or before `recorded_by` (epoch micros), oldest first, at most `limit`.
  Awaitable<std::vector<std::string>> pending(std::int64_t recorded_by, std::size_t limit);
  // When the oldest pending market's results were recorded (epoch micros); none when nothing is pending.
  Awaitable<std::optional<std::int64_t>> oldest_pending();

 private:
  Database& db_;
};

}  // namespace b2w::store
