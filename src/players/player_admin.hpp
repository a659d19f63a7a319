#pragma once
#include <optional>
#include <string>
#include <vector>

#include "domain/audit_chain.hpp"
#include "domain/player_limits.hpp"
#include "limits/player_limits.hpp"
#include "store/audit.hpp"
#include "store/ledger.hpp"
#include "store/player_limits.hpp"
#include "store/users.hpp"

// The back office's player administration (issue 20, support's duty): finding a player, seeing everything about
// them, locking and unlocking, and lowering their limits. Every change is recorded in the audit trail with the
// staff member and their reason, in the change's transaction. Throws domain::Error.
namespace b2w::players {

using store::Awaitable;

struct PlayerDetail {
  store::UserRecord user;
  store::WalletBalances wallet;
  std::vector<store::LedgerLine> recent;  // the wallet's newest entries
  std::vector<store::StoredLimit> limits;
};

// One limit an operator lowers (or sets where there was none).
struct OperatorLimit {
  domain::LimitKind kind;
  domain::LimitPeriod period;
  domain::Kobo amount;
};

class PlayerAdmin {
 public:
  PlayerAdmin(store::Database& db, store::UserRepository& users, store::LedgerRepository& ledger,
              limits::PlayerLimits& limits)
      : db_(db), users_(users), ledger_(ledger), limits_(limits) {}

  // `query`: an id, an email or its beginning, or a phone number (normalized first); `after` the last id seen.
  Awaitable<std::vector<store::UserRecord>> search(std::string query, std::string after, int limit);
  Awaitable<PlayerDetail> detail(std::string user_id);  // 404 not_found
  // Locks (the player cannot sign in, their tokens end, the casino refuses their stakes) or unlocks. `reason` is
  // required (422). 404 for an unknown user.
  Awaitable<store::UserRecord> set_locked(domain::Actor staff, std::string user_id, bool lock, std::string reason);
  // Sets the player's KYC tier explicitly (it stands until an operator changes it, whatever is verified later), or
  // with nullopt lets it follow the verified phone and identity again. `reason` is required (422). Recorded in the
  // audit trail as user.tier with the tier and override before and after, in the change's transaction; the same
  // override again changes and records nothing. 404 for an unknown user.
  Awaitable<store::UserRecord> set_tier(domain::Actor staff, std::string user_id, std::optional<domain::KycTier> tier,
                                        std::string reason);
  // Lowers limits at once (a higher amount leaves the limit as it is, and drops a pending raise above it): an
  // operator never raises or removes a player's limit, nor touches an exclusion.
  Awaitable<std::vector<store::StoredLimit>> lower_limits(domain::Actor staff, std::string user_id,
                                                          std::vector<OperatorLimit> limits, std::string reason);

 private:
  store::Database& db_;
  store::UserRepository& users_;
  store::LedgerRepository& ledger_;
  limits::PlayerLimits& limits_;
};

// The audit record of a lock or unlock (the CLI's too).
store::AuditEntry lock_record(const domain::Actor& staff, const std::string& user_id, bool was_locked, bool locked,
                              const std::string& reason);

}  // namespace b2w::players
