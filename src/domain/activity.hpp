#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/money.hpp"

// "Reality check" figures of a player's wallet over a period (GET /users/me/activity). Pure.
namespace b2w::domain {

// Rolling periods ending now: day = 24 h, week = 7 days, month = 30 days, year = 365 days.
enum class ActivityPeriod { day, week, month, year };
std::string_view to_string(ActivityPeriod period);
std::optional<ActivityPeriod> parse_activity_period(std::string_view text);
std::int64_t period_micros(ActivityPeriod period);

struct Activity {
  Kobo deposits = 0;
  Kobo withdrawals = 0;                          // requested, less those returned
  Kobo stakes = 0;                               // sportsbook stakes and casino debits, less debits rolled back
  Kobo returns = 0;                              // payouts, refunds of void bets and casino wins, less wins rolled back
  Kobo net() const { return returns - stakes; }  // negative: lost
};

// Which figure a wallet entry of a ledger transaction kind counts in (its sign as posted on the wallet: stakes and
// withdrawals count its negation). `none`: kinds that are none of these (adjustments to come).
enum class ActivitySide { deposit, withdrawal, stake, payback, none };
ActivitySide activity_side(std::string_view ledger_kind);
// The ledger transaction kinds of one side (SQL that sums a side names them).
std::vector<std::string_view> kinds_of(ActivitySide side);

// From the wallet's entries summed per ledger transaction kind (their signs as posted on the wallet). Kinds that
// are none of these (adjustments to come) are left out.
Activity activity_from(const std::vector<std::pair<std::string, Kobo>>& wallet_sums_by_kind);

}  // namespace b2w::domain
