#pragma once
#include <optional>
#include <string>

#include "domain/money.hpp"
#include "domain/player_limits.hpp"
#include "store/db/database.hpp"
#include "store/player_limits.hpp"

// The check every deposit and every stake makes, in the transaction that records it: the player's standing
// (exclusion, date of birth) and their limits. The limit rows are locked first, so what the windows hold cannot
// change until the movement commits: two movements cannot both pass a limit that only one fits.
namespace b2w::limits {

using store::Awaitable;

enum class GateRefusal { self_excluded, date_of_birth_required, limit_exceeded };

struct GateResult {
  std::optional<GateRefusal> refusal;
  std::optional<domain::Breach> breach;  // with limit_exceeded
  domain::PlayerStanding standing;       // as read
  // The potential payouts of the player's open and won bets placed since the start of the day in Lagos: the day's
  // payout cap (sportsbook) counts them.
  domain::Kobo day_payouts = 0;
};

// Throw domain::Error: forbidden `self_excluded` / `date_of_birth_required`; invalid `limit_exceeded` (details:
// kind, period, limit, used, remaining). An unknown user passes: the caller's own statements refuse it.
Awaitable<void> check_deposit(store::Tx& tx, std::string user_id, domain::Kobo amount);
// check_stake returns what it read (day_payouts for the bet's own checks).
Awaitable<GateResult> check_stake(store::Tx& tx, std::string user_id, domain::Kobo amount);
// check_stake in two halves, so that the gate's reads travel with the caller's other reads in one round trip:
// read_stake_gate adds them to the batch; check_stake_read (after the batch ran) checks and throws as check_stake.
store::ReadBatch::Later<store::PlayerGate> read_stake_gate(store::ReadBatch& reads, const std::string& user_id,
                                                           std::int64_t now);
GateResult check_stake_read(const store::PlayerGate& read, domain::Kobo amount, std::int64_t now);
// check_stake without throwing (the casino wallet answers its aggregator instead).
Awaitable<GateResult> stake_gate(store::Tx& tx, std::string user_id, domain::Kobo amount);

// The limits in force at `now` among stored ones.
std::vector<domain::LimitInForce> in_force(const std::vector<store::StoredLimit>& limits, std::int64_t now);

}  // namespace b2w::limits
