#include "domain/activity.hpp"

namespace b2w::domain {

std::string_view to_string(ActivityPeriod period) {
  switch (period) {
    case ActivityPeriod::day:
      return "day";
    case ActivityPeriod::week:
      return "week";
    case ActivityPeriod::month:
      return "month";
    case ActivityPeriod::year:
      return "year";
  }
  return "month";
}

std::optional<ActivityPeriod> parse_activity_period(std::string_view text) {
  for (auto p : {ActivityPeriod::day, ActivityPeriod::week, ActivityPeriod::month, ActivityPeriod::year})
    if (to_string(p) == text) return p;
  return std::nullopt;
}

std::int64_t period_micros(ActivityPeriod period) {
  constexpr std::int64_t kDay = 86'400'000'000;
  switch (period) {
    case ActivityPeriod::day:
      return kDay;
    case ActivityPeriod::week:
      return 7 * kDay;
    case ActivityPeriod::month:
      return 30 * kDay;
    case ActivityPeriod::year:
      return 365 * kDay;
  }
  return 30 * kDay;
}

Activity activity_from(const std::vector<std::pair<std::string, Kobo>>& sums) {
  Activity a;
  for (const auto& [kind, sum] : sums) {
    // Money into the wallet is positive, out of it negative.
    if (kind == "deposit")
      a.deposits += sum;
    else if (kind == "withdrawal" || kind == "withdrawal_return")
      a.withdrawals -= sum;
    else if (kind == "bet_stake" || kind == "casino_stake" || kind == "casino_stake_return")
      a.stakes -= sum;
    else if (kind == "bet_payout" || kind == "bet_refund" || kind == "casino_win" || kind == "casino_win_return")
      a.returns += sum;
  }
  return a;
}

}  // namespace b2w::domain
