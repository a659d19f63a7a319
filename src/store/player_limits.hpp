#pragma once
#include <optional>
#include <string>
#include <vector>

#include "domain/player_controls.hpp"
#include "domain/player_limits.hpp"
#include "store/db/database.hpp"

namespace b2w::store {

struct StoredLimit {
  domain::LimitKind kind = domain::LimitKind::deposit;
  domain::LimitPeriod period = domain::LimitPeriod::day;
  domain::LimitSetting setting;
};

// What a deposit or a stake checks first, read in one round trip: the player's standing and their limits,
// whose rows are locked (FOR UPDATE on PostgreSQL; SQLite has one writer) until the transaction ends.
struct PlayerGate {
  std::optional<domain::PlayerStanding> standing;  // none: no such user
  std::vector<StoredLimit> limits;
};

// Table player_limits (migration 017).
class PlayerLimitRepository {
 public:
  explicit PlayerLimitRepository(Database& db) : db_(db) {}

  static Awaitable<PlayerGate> lock_gate(Tx& tx, std::string user_id);
  // The user's limit rows, locked.
  static Awaitable<std::vector<StoredLimit>> lock(Tx& tx, std::string user_id);
  // Writes one limit; a setting with nothing in force and nothing pending deletes its row.
  static Awaitable<void> save(Tx& tx, std::string user_id, const StoredLimit& limit);
  // What the windows ending at `now` hold: deposits started (pending and completed), and the wallet's stakes
  // and returns from its ledger entries (losses: stakes less returns, at least 0).
  static Awaitable<domain::Usage> usage(Tx& tx, std::string user_id, std::int64_t now);
  Awaitable<std::vector<StoredLimit>> for_user(std::string user_id);

 private:
  Database& db_;
};

}  // namespace b2w::store
