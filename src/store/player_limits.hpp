#pragma once
#include <optional>
#include <string>
#include <vector>

#include "domain/player_controls.hpp"
#include "domain/player_limits.hpp"
#include "store/db/database.hpp"
#include "store/db/read_batch.hpp"

namespace b2w::store {

struct StoredLimit {
  domain::LimitKind kind = domain::LimitKind::deposit;
  domain::LimitPeriod period = domain::LimitPeriod::day;
  domain::LimitSetting setting;
};

// What a deposit or a stake reads first, in one round trip: the player's row, locked (FOR NO KEY UPDATE on
// PostgreSQL; SQLite has one writer), so every deposit, stake and casino debit of one player queues on it; then, read
// under that lock, their standing, their limit rows (locked too: a change of limits waits for the movement) and
// what the limit windows hold.
enum class GateCount {
  deposits,  // deposits started (pending and completed)
  wallet,    // stakes and losses, and the potential payouts of the day's open and won bets
};

struct PlayerGate {
  std::optional<domain::PlayerStanding> standing;  // none: no such user
  std::vector<StoredLimit> limits;
  // What the windows ending now hold; counted only when the player has a limit row (zero otherwise).
  domain::Usage usage;
  // GateCount::wallet: what the bets placed since `day_start` (open or won) may still pay or paid.
  domain::Kobo day_payouts = 0;
};

// Table player_limits (migration 017).
class PlayerLimitRepository {
 public:
  explicit PlayerLimitRepository(Database& db) : db_(db) {}

  // The player's standing and limits, locked (users row, limit rows), and what the windows hold.
  static ReadBatch::Later<PlayerGate> read_gate(ReadBatch& reads, const std::string& user_id, std::int64_t now,
                                                GateCount count, std::int64_t day_start);
  // read_gate in a batch of its own.
  static Awaitable<PlayerGate> lock_gate(Tx& tx, std::string user_id, std::int64_t now, GateCount count,
                                         std::int64_t day_start);
  // The user's limit rows, locked.
  static Awaitable<std::vector<StoredLimit>> lock(Tx& tx, std::string user_id);
  // Writes one limit; a setting with nothing in force and nothing pending deletes its row.
  static Awaitable<void> save(Tx& tx, std::string user_id, const StoredLimit& limit);
  Awaitable<std::vector<StoredLimit>> for_user(std::string user_id);

 private:
  Database& db_;
};

}  // namespace b2w::store
