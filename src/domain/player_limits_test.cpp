#include "domain/player_limits.hpp"

#include <gtest/gtest.h>

using namespace b2w::domain;

namespace {
constexpr std::int64_t kHour = 3'600'000'000;
constexpr std::int64_t kCoolingOff = 24 * kHour;
constexpr std::int64_t kNow = 1'796'256'000'000'000;
}  // namespace

TEST(PlayerLimits, NamesRoundTrip) {
  for (auto k : {LimitKind::deposit, LimitKind::stake, LimitKind::loss}) EXPECT_EQ(parse_limit_kind(to_string(k)), k);
  for (auto p : {LimitPeriod::day, LimitPeriod::week, LimitPeriod::month})
    EXPECT_EQ(parse_limit_period(to_string(p)), p);
  EXPECT_FALSE(parse_limit_kind("win"));
  EXPECT_FALSE(parse_limit_period("year"));
  EXPECT_EQ(window_micros(LimitPeriod::month), 30 * 24 * kHour);
}

TEST(PlayerLimits, AFirstOrLowerLimitAppliesAtOnce) {
  const auto first = changed({}, 50'000, kNow, kCoolingOff);
  EXPECT_EQ(first, LimitSetting{.amount = 50'000});
  EXPECT_EQ(changed(first, 20'000, kNow, kCoolingOff), LimitSetting{.amount = 20'000});
  EXPECT_EQ(changed(first, 50'000, kNow, kCoolingOff), first) << "the same amount changes nothing";
}

TEST(PlayerLimits, AHigherLimitOrARemovalWaitsOutTheCoolingOff) {
  const LimitSetting in_force{.amount = 50'000};
  const auto raised = changed(in_force, 80'000, kNow, kCoolingOff);
  EXPECT_EQ(raised.amount, 50'000) << "still the old one";
  EXPECT_TRUE(raised.pending);
  EXPECT_EQ(raised.pending_amount, 80'000);
  EXPECT_EQ(raised.pending_from, kNow + kCoolingOff);
  EXPECT_EQ(settled(raised, kNow + kCoolingOff - 1).amount, 50'000);
  EXPECT_EQ(settled(raised, kNow + kCoolingOff), LimitSetting{.amount = 80'000});

  const auto removed = changed(in_force, std::nullopt, kNow, kCoolingOff);
  EXPECT_TRUE(removed.pending);
  EXPECT_FALSE(removed.pending_amount);
  EXPECT_EQ(settled(removed, kNow + kCoolingOff), LimitSetting{}) << "removed once the cooling-off ends";
  EXPECT_EQ(changed({}, std::nullopt, kNow, kCoolingOff), LimitSetting{}) << "nothing to remove";
}

TEST(PlayerLimits, LoweringAgainCancelsAPendingRaise) {
  const auto raised = changed(LimitSetting{.amount = 50'000}, 80'000, kNow, kCoolingOff);
  EXPECT_EQ(changed(raised, 30'000, kNow + kHour, kCoolingOff), LimitSetting{.amount = 30'000});
  EXPECT_EQ(changed(raised, 50'000, kNow + kHour, kCoolingOff), LimitSetting{.amount = 50'000})
      << "asking for the amount in force drops the pending raise";
  // A second raise restarts the cooling-off from now.
  const auto again = changed(raised, 90'000, kNow + kHour, kCoolingOff);
  EXPECT_EQ(again.pending_from, kNow + kHour + kCoolingOff);
  // A raise that matured is the limit in force when the next change comes.
  EXPECT_EQ(changed(raised, 70'000, kNow + kCoolingOff, kCoolingOff), LimitSetting{.amount = 70'000});
}

TEST(PlayerLimits, AnOperatorOnlyLowers) {
  const auto raised = changed(LimitSetting{.amount = 50'000}, 80'000, kNow, kCoolingOff);
  EXPECT_EQ(lowered_by_operator(raised, 20'000, kNow), LimitSetting{.amount = 20'000});
  EXPECT_EQ(lowered_by_operator(raised, 60'000, kNow), LimitSetting{.amount = 50'000})
      << "not lower than in force: only the pending raise above it goes";
  EXPECT_EQ(lowered_by_operator(LimitSetting{}, 60'000, kNow), LimitSetting{.amount = 60'000});
  EXPECT_EQ(lowered_by_operator(LimitSetting{.amount = 10'000}, 60'000, kNow), LimitSetting{.amount = 10'000});
}

TEST(PlayerLimits, ExactlyTheLimitPassesAndOneKoboMoreBreaks) {
  const std::vector<LimitInForce> limits{{LimitKind::deposit, LimitPeriod::week, 100'000},
                                         {LimitKind::stake, LimitPeriod::day, 30'000},
                                         {LimitKind::loss, LimitPeriod::month, 50'000}};
  Usage usage;
  usage.deposits = {10'000, 60'000, 60'000};
  usage.stakes = {20'000, 20'000, 20'000};
  usage.losses = {0, 0, 45'000};
  EXPECT_FALSE(deposit_breach(limits, usage, 40'000));
  const auto over = deposit_breach(limits, usage, 40'001);
  ASSERT_TRUE(over);
  EXPECT_EQ(over->period, LimitPeriod::week);
  EXPECT_EQ(over->used, 60'000);
  EXPECT_FALSE(stake_breach(limits, usage, 5'000));
  const auto loss = stake_breach(limits, usage, 5'001);
  ASSERT_TRUE(loss);
  EXPECT_EQ(loss->kind, LimitKind::loss) << "the stake could be lost";
  usage.losses = {0, 0, 0};
  const auto stake = stake_breach(limits, usage, 10'001);
  ASSERT_TRUE(stake);
  EXPECT_EQ(stake->kind, LimitKind::stake);
  EXPECT_FALSE(stake_breach({}, usage, 1'000'000'000)) << "no limits, no breach";
}
