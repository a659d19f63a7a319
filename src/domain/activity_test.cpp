#include "domain/activity.hpp"

#include <gtest/gtest.h>

using namespace b2w::domain;

TEST(Activity, PeriodsRoundTrip) {
  for (auto p : {ActivityPeriod::day, ActivityPeriod::week, ActivityPeriod::month, ActivityPeriod::year})
    EXPECT_EQ(parse_activity_period(to_string(p)), p);
  EXPECT_FALSE(parse_activity_period("days"));
  EXPECT_EQ(period_micros(ActivityPeriod::week), 7 * 86'400'000'000LL);
}

TEST(Activity, WalletSumsBecomeDepositsStakesReturnsAndNet) {
  const auto a = activity_from({{"deposit", 500'000},
                                {"withdrawal", -200'000},
                                {"withdrawal_return", 50'000},
                                {"bet_stake", -30'000},
                                {"casino_stake", -12'000},
                                {"casino_stake_return", 2'000},
                                {"bet_payout", 55'000},
                                {"bet_refund", 5'000},
                                {"casino_win", 9'000},
                                {"casino_win_return", -1'000},
                                {"adjustment", 777}});
  EXPECT_EQ(a.deposits, 500'000);
  EXPECT_EQ(a.withdrawals, 150'000);
  EXPECT_EQ(a.stakes, 40'000);
  EXPECT_EQ(a.returns, 68'000);
  EXPECT_EQ(a.net(), 28'000);
  EXPECT_EQ(activity_from({{"bet_stake", -10'000}}).net(), -10'000) << "a loss is negative";
  EXPECT_EQ(activity_from({}).net(), 0);
}

TEST(Activity, EveryKindHasOneSideAndTheListsAgree) {
  for (auto side : {ActivitySide::deposit, ActivitySide::withdrawal, ActivitySide::stake, ActivitySide::payback})
    for (const auto kind : kinds_of(side)) EXPECT_EQ(activity_side(kind), side) << kind;
  EXPECT_EQ(kinds_of(ActivitySide::stake).size(), 3u);
  EXPECT_EQ(kinds_of(ActivitySide::payback).size(), 4u);
  EXPECT_TRUE(kinds_of(ActivitySide::none).empty());
  EXPECT_EQ(activity_side("adjustment"), ActivitySide::none);
  EXPECT_EQ(activity_side("casino_win_return"), ActivitySide::payback) << "a win rolled back lowers the paybacks";
}
