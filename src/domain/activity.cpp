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

namespace {

struct KindSide {
  std::string_view kind;
  ActivitySide side;
};
constexpr KindSide kSides[] = {
    {"deposit", ActivitySide::deposit},
    {"withdrawal", ActivitySide::withdrawal},
    {"withdrawal_return", ActivitySide::withdrawal},
    {"bet_stake", ActivitySide::stake},
    {"casino_stake", ActivitySide::stake},
    {"casino_stake_return", ActivitySide::stake},
    {"bet_payout", ActivitySide::payback},
    {"bet_refund", ActivitySide::payback},
    {"casino_win", ActivitySide::payback},
    {"casino_win_return", ActivitySide::payback},
};

}  // namespace

ActivitySide activity_side(std::string_view kind) {
  for (const auto& k : kSides)
    if (k.kind == kind) return k.side;
  return ActivitySide::none;
}

std::vector<std::string_view> kinds_of(ActivitySide side) {
  std::vector<std::string_view> out;
  for (const auto& k : kSides)
    if (k.side == side) out.push_back(k.kind);
  return out;
}

Activity activity_from(const std::vector<std::pair<std::string, Kobo>>& sums) {
  Activity a;
  for (const auto& [kind, sum] : sums) {
    // Money into the wallet is positive, out of it negative.
    switch (activity_side(kind)) {
      case ActivitySide::deposit:
        a.deposits += sum;
        break;
      case ActivitySide::withdrawal:
        a.withdrawals -= sum;
        break;
      case ActivitySide::stake:
        a.stakes -= sum;
        break;
      case ActivitySide::payback:
        a.returns += sum;
        break;
      case ActivitySide::none:
        break;
    }
  }
  return a;
}

}  // namespace b2w::domain
