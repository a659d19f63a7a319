#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/audit_chain.hpp"
#include "domain/player_limits.hpp"
#include "store/db/database.hpp"
#include "store/player_limits.hpp"

namespace b2w::limits {

using store::Awaitable;

// One requested change of PUT /users/me/limits: `amount` none removes the limit.
struct LimitRequest {
  domain::LimitKind kind;
  domain::LimitPeriod period;
  std::optional<domain::Kobo> amount;
};

// An operator's lowering of one limit.
struct OperatorChange {
  domain::LimitKind kind;
  domain::LimitPeriod period;
  domain::Kobo amount;
};

// GET and PUT /users/me/limits. A lower limit applies at once; a higher one or a removal after the cooling-off
// (PLAYER_LIMIT_COOLING_OFF), shown as pending until then. Throws domain::Error (validation_error).
class PlayerLimits {
 public:
  PlayerLimits(store::Database& db, store::PlayerLimitRepository& limits, std::chrono::milliseconds cooling_off)
      : db_(db), limits_(limits), cooling_off_(cooling_off) {}

  // Every kind and period, as they stand now (an empty setting where there is none).
  Awaitable<std::vector<store::StoredLimit>> of(std::string user_id);
  // Applies the requests in one transaction, under the rows' lock, recording what changed in the audit trail;
  // returns of(player.id).
  Awaitable<std::vector<store::StoredLimit>> change(domain::Actor player, std::vector<LimitRequest> requests);

  // An operator lowers limits at once (never raises or removes one); recorded with the staff member and reason.
  Awaitable<std::vector<store::StoredLimit>> lower_by_operator(domain::Actor staff, std::string user_id,
                                                               std::vector<OperatorChange> changes, std::string reason);

  std::chrono::milliseconds cooling_off() const { return cooling_off_; }

 private:
  store::Database& db_;
  store::PlayerLimitRepository& limits_;
  std::chrono::milliseconds cooling_off_;
};

}  // namespace b2w::limits
