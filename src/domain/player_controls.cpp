#include "domain/player_controls.hpp"

#include <array>
#include <cstdio>

namespace b2w::domain {
namespace {

constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
constexpr std::int64_t kLagosOffsetMicros = 3'600'000'000;  // UTC+1

bool leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : days[static_cast<std::size_t>(month - 1)];
}

// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm, public domain).
CalendarDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const auto y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
  return CalendarDate{y, static_cast<int>(m), static_cast<int>(d)};
}

int digits(std::string_view s) {
  int value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::optional<CalendarDate> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int year = digits(text.substr(0, 4)), month = digits(text.substr(5, 2)), day = digits(text.substr(8, 2));
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  return CalendarDate{year, month, day};
}

std::string to_string(const CalendarDate& date) {
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", date.year, date.month, date.day);
  return out;
}

namespace {
std::int64_t lagos_days(std::int64_t epoch_micros) {
  const std::int64_t local = epoch_micros + kLagosOffsetMicros;
  return local >= 0 ? local / kMicrosPerDay : (local - kMicrosPerDay + 1) / kMicrosPerDay;
}
}  // namespace

std::int64_t lagos_day_start(std::int64_t epoch_micros) {
  return lagos_days(epoch_micros) * kMicrosPerDay - kLagosOffsetMicros;
}

CalendarDate lagos_date(std::int64_t epoch_micros) {
  return civil_from_days(lagos_days(epoch_micros));
}

int age_on(const CalendarDate& born, const CalendarDate& today) {
  int age = today.year - born.year;
  // The birthday this year; 29 February falls on 1 March in a common year.
  int month = born.month, day = born.day;
  if (month == 2 && day == 29 && !leap(today.year)) month = 3, day = 1;
  if (today.month < month || (today.month == month && today.day < day)) --age;
  return age;
}

std::string_view to_string(ExclusionPeriod period) {
  switch (period) {
    case ExclusionPeriod::day:
      return "24h";
    case ExclusionPeriod::week:
      return "7d";
    case ExclusionPeriod::month:
      return "30d";
    case ExclusionPeriod::six_months:
      return "6m";
    case ExclusionPeriod::five_years:
      return "5y";
    case ExclusionPeriod::permanent:
      return "permanent";
  }
  return "permanent";
}

std::optional<ExclusionPeriod> parse_exclusion_period(std::string_view text) {
  for (auto p : {ExclusionPeriod::day, ExclusionPeriod::week, ExclusionPeriod::month, ExclusionPeriod::six_months,
                 ExclusionPeriod::five_years, ExclusionPeriod::permanent})
    if (to_string(p) == text) return p;
  return std::nullopt;
}

bool is_time_out(ExclusionPeriod period) {
  return period == ExclusionPeriod::day || period == ExclusionPeriod::week || period == ExclusionPeriod::month;
}

std::int64_t exclusion_end(ExclusionPeriod period, std::int64_t now_micros) {
  const auto days = [&](std::int64_t n) { return now_micros + n * kMicrosPerDay; };
  switch (period) {
    case ExclusionPeriod::day:
      return days(1);
    case ExclusionPeriod::week:
      return days(7);
    case ExclusionPeriod::month:
      return days(30);
    case ExclusionPeriod::six_months:
      return days(183);
    case ExclusionPeriod::five_years:
      return days(1826);
    case ExclusionPeriod::permanent:
      return kExcludedForever;
  }
  return kExcludedForever;
}

std::optional<Refusal> refusal_for(const PlayerStanding& standing, std::int64_t now_micros) {
  if (standing.excluded_until && *standing.excluded_until > now_micros) return Refusal::self_excluded;
  if (!standing.has_date_of_birth) return Refusal::date_of_birth_required;
  return std::nullopt;
}

std::string_view to_string(Refusal refusal) {
  return refusal == Refusal::self_excluded ? "self_excluded" : "date_of_birth_required";
}

}  // namespace b2w::domain
