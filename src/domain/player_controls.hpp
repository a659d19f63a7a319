#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Responsible-gambling rules a player's own controls follow: age, time-outs and self-exclusion. Pure.
namespace b2w::domain {

struct CalendarDate {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  friend bool operator==(const CalendarDate&, const CalendarDate&) = default;
};

// "YYYY-MM-DD", a real date of the Gregorian calendar (29 February only in leap years); nullopt otherwise.
std::optional<CalendarDate> parse_date(std::string_view text);
std::string to_string(const CalendarDate& date);
// The date in Lagos (West Africa Time, UTC+1 all year, no daylight saving) at `epoch_micros`: ages turn there.
CalendarDate lagos_date(std::int64_t epoch_micros);
// The epoch micros at which the Lagos day holding `epoch_micros` began (its midnight, 23:00 UTC the day before).
std::int64_t lagos_day_start(std::int64_t epoch_micros);
// Whole years from `born` to `today`; someone born on 29 February turns a year older on 1 March in common years.
int age_on(const CalendarDate& born, const CalendarDate& today);

inline constexpr int kMinimumAge = 18;

// A time-out (24 h, 7 d, 30 d) or a self-exclusion (6 months, 5 years, permanent). Either ends only when its time
// is up: no request lifts it early, and a new one can only make it longer.
enum class ExclusionPeriod { day, week, month, six_months, five_years, permanent };

std::string_view to_string(ExclusionPeriod period);  // "24h", "7d", "30d", "6m", "5y", "permanent"
std::optional<ExclusionPeriod> parse_exclusion_period(std::string_view text);
bool is_time_out(ExclusionPeriod period);
// When an exclusion starting at `now` ends (epoch micros). Months and years are counted in days (30, 183 and
// 1826), so an end never depends on the calendar; permanent is kExcludedForever.
std::int64_t exclusion_end(ExclusionPeriod period, std::int64_t now_micros);
inline constexpr std::int64_t kExcludedForever = INT64_MAX;

// What the money paths need to know of a player, read in their transaction.
struct PlayerStanding {
  bool has_date_of_birth = false;
  std::optional<std::int64_t> excluded_until;  // epoch micros; kExcludedForever for permanent
};

enum class Refusal {
  self_excluded,           // a time-out or self-exclusion is running
  date_of_birth_required,  // the account has no date of birth yet (PATCH /users/me)
};

// Why a deposit or a stake (a bet, a casino debit) is refused now, or nullopt. Withdrawals, sign-in and reading
// are never refused here.
std::optional<Refusal> refusal_for(const PlayerStanding& standing, std::int64_t now_micros);
std::string_view to_string(Refusal refusal);

}  // namespace b2w::domain
