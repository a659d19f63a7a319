#pragma once
#include <string>

#include "domain/activity.hpp"
#include "domain/audit_chain.hpp"
#include "domain/player_controls.hpp"
#include "store/db/database.hpp"
#include "store/ledger.hpp"
#include "store/users.hpp"

// A player's own responsible-gambling controls (issue 20) and the check every deposit and stake makes.
namespace b2w::limits {

using store::Awaitable;

// Throws domain::Error forbidden `self_excluded` (a time-out or self-exclusion is running; the message says until
// when) or `date_of_birth_required` (limits/money_gate.hpp applies it in the movements' transactions).
void check_standing(const domain::PlayerStanding& standing);

// PATCH /users/me's date of birth and POST /users/me/self-exclusion. Throws domain::Error:
// invalid `validation_error`, `underage`; conflict `date_of_birth_set`.
class PlayerControls {
 public:
  PlayerControls(store::Database& db, store::LedgerRepository& ledger) : db_(db), ledger_(ledger) {}

  // Once per account; under 18 is refused. `player` is the account's own user (recorded in the audit trail).
  Awaitable<store::UserRecord> set_date_of_birth(domain::Actor player, std::string date_of_birth);
  // Starts a time-out or self-exclusion, or lengthens the running one; never shortens it. Audited when it changes.
  Awaitable<store::UserRecord> exclude(domain::Actor player, domain::ExclusionPeriod period);

  // What the wallet saw in the period ending now (GET /users/me/activity).
  Awaitable<domain::Activity> activity(std::string user_id, domain::ActivityPeriod period);

  // The age rule alone (registration applies it before the account exists): the normalized date.
  static std::string adult_date_of_birth(const std::string& text, std::int64_t now_micros);

 private:
  store::Database& db_;
  store::LedgerRepository& ledger_;
};

}  // namespace b2w::limits
