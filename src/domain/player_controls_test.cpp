#include "domain/player_controls.hpp"

#include <gtest/gtest.h>

using namespace b2w::domain;

namespace {
constexpr std::int64_t kDay = 86'400'000'000;
// 2026-12-03T00:00:00Z
constexpr std::int64_t kDec3 = 1'796'256'000'000'000;
}  // namespace

TEST(PlayerDates, OnlyRealDatesInIsoFormParse) {
  EXPECT_EQ(parse_date("2000-02-29"), (CalendarDate{2000, 2, 29}));
  EXPECT_EQ(parse_date("1999-12-31"), (CalendarDate{1999, 12, 31}));
  for (const char* bad : {"1900-02-29", "2001-02-29", "2001-04-31", "2001-13-01", "2001-00-10", "2001-1-01",
                          "01-01-2001", "2001/01/01", "20010101", "", "1899-12-31", "2001-01-0a", " 2001-01-01"})
    EXPECT_FALSE(parse_date(bad)) << bad;
  EXPECT_EQ(to_string(CalendarDate{2004, 3, 7}), "2004-03-07");
}

TEST(PlayerDates, LagosDateTurnsAtElevenPmUtc) {
  EXPECT_EQ(lagos_date(kDec3), (CalendarDate{2026, 12, 3}));
  EXPECT_EQ(lagos_date(kDec3 - 3'600'000'000), (CalendarDate{2026, 12, 3})) << "23:00 UTC is midnight in Lagos";
  EXPECT_EQ(lagos_date(kDec3 - 3'600'000'001), (CalendarDate{2026, 12, 2}));
  EXPECT_EQ(lagos_date(0), (CalendarDate{1970, 1, 1}));
  EXPECT_EQ(lagos_date(-2 * 3'600'000'000), (CalendarDate{1969, 12, 31}));
}

TEST(PlayerDates, AgeCountsWholeYearsAndLeapBirthdaysTurnOnFirstMarch) {
  EXPECT_EQ(age_on({2008, 12, 3}, {2026, 12, 3}), 18) << "18 on the birthday";
  EXPECT_EQ(age_on({2008, 12, 4}, {2026, 12, 3}), 17);
  EXPECT_EQ(age_on({2008, 2, 29}, {2026, 2, 28}), 17);
  EXPECT_EQ(age_on({2008, 2, 29}, {2026, 3, 1}), 18);
  EXPECT_EQ(age_on({2008, 2, 29}, {2028, 2, 29}), 20);
  EXPECT_EQ(age_on({1990, 6, 15}, {2026, 6, 14}), 35);
}

TEST(Exclusion, PeriodsRoundTripAndEndWhenTheySay) {
  for (auto p : {ExclusionPeriod::day, ExclusionPeriod::week, ExclusionPeriod::month, ExclusionPeriod::six_months,
                 ExclusionPeriod::five_years, ExclusionPeriod::permanent})
    EXPECT_EQ(parse_exclusion_period(to_string(p)), p);
  for (const char* bad : {"", "1d", "24H", "forever", "6 months"}) EXPECT_FALSE(parse_exclusion_period(bad)) << bad;
  EXPECT_TRUE(is_time_out(ExclusionPeriod::week));
  EXPECT_FALSE(is_time_out(ExclusionPeriod::six_months));
  EXPECT_EQ(exclusion_end(ExclusionPeriod::day, kDec3), kDec3 + kDay);
  EXPECT_EQ(exclusion_end(ExclusionPeriod::month, kDec3), kDec3 + 30 * kDay);
  EXPECT_EQ(exclusion_end(ExclusionPeriod::five_years, kDec3), kDec3 + 1826 * kDay);
  EXPECT_EQ(exclusion_end(ExclusionPeriod::permanent, kDec3), kExcludedForever);
}

TEST(Exclusion, RefusalsForDepositsAndStakes) {
  const PlayerStanding adult{.has_date_of_birth = true};
  EXPECT_FALSE(refusal_for(adult, kDec3));
  EXPECT_EQ(refusal_for(PlayerStanding{}, kDec3), Refusal::date_of_birth_required);
  PlayerStanding excluded{.has_date_of_birth = true, .excluded_until = kDec3 + 1};
  EXPECT_EQ(refusal_for(excluded, kDec3), Refusal::self_excluded);
  EXPECT_FALSE(refusal_for(excluded, kDec3 + 1)) << "over when its time is up";
  excluded.excluded_until = kExcludedForever;
  EXPECT_EQ(refusal_for(excluded, kDec3 + 100 * 365 * kDay), Refusal::self_excluded);
  EXPECT_EQ(refusal_for(PlayerStanding{.excluded_until = kDec3 + 1}, kDec3), Refusal::self_excluded)
      << "the exclusion is said first";
  EXPECT_EQ(to_string(Refusal::self_excluded), "self_excluded");
}

TEST(PlayerDates, TheLagosDayStartsAtElevenPmUtc) {
  const std::int64_t day = 86'400'000'000, hour = 3'600'000'000;
  const auto start = lagos_day_start(kDec3);
  EXPECT_EQ(lagos_date(start), (CalendarDate{2026, 12, 3}));
  EXPECT_EQ(lagos_date(start - 1), (CalendarDate{2026, 12, 2}));
  EXPECT_EQ((start + hour) % day, 0) << "midnight in Lagos is 23:00 UTC";
  EXPECT_EQ(lagos_day_start(start), start);
  EXPECT_EQ(lagos_day_start(start + day - 1), start);
  EXPECT_EQ(lagos_day_start(start + day), start + day);
  EXPECT_EQ(lagos_day_start(0), -hour) << "the epoch is 01:00 in Lagos";
}
