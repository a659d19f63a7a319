#include "domain/betting.hpp"

#include <gtest/gtest.h>

#include <random>
#include <utility>

namespace b2w::domain {
namespace {

__extension__ typedef unsigned __int128 u128;  // the reference model only
using R = LegResult;

TEST(Betting, ParsesResultsAndPolicies) {
  EXPECT_EQ(parse_leg_result("won"), R::won);
  EXPECT_EQ(parse_leg_result("void"), R::void_);
  EXPECT_EQ(parse_leg_result("Won"), std::nullopt);
  EXPECT_EQ(parse_leg_result(""), std::nullopt);
  for (auto r : {R::open, R::won, R::lost, R::void_}) EXPECT_EQ(parse_leg_result(to_string(r)), r);
  EXPECT_EQ(parse_odds_change("none"), OddsChange::none);
  EXPECT_EQ(parse_odds_change("higher"), OddsChange::higher);
  EXPECT_EQ(parse_odds_change("any"), OddsChange::any);
  EXPECT_EQ(parse_odds_change("lower"), std::nullopt);
}

TEST(Betting, BetAndLegStatusNames) {
  const std::pair<BetStatus, const char*> bets[] = {{BetStatus::open, "open"},       {BetStatus::won, "won"},
                                                    {BetStatus::lost, "lost"},       {BetStatus::void_, "void"},
                                                    {BetStatus::pending, "pending"}, {BetStatus::rejected, "rejected"}};
  for (const auto& [status, name] : bets) {
    EXPECT_EQ(to_string(status), name);
    EXPECT_EQ(parse_bet_status(name), status);
  }
  const std::pair<LegResult, const char*> legs[] = {
      {R::open, "open"}, {R::won, "won"}, {R::lost, "lost"}, {R::void_, "void"}};
  for (const auto& [result, name] : legs) {
    EXPECT_EQ(to_string(result), name);
    EXPECT_EQ(parse_leg_result(name), result);
  }
  for (auto unknown : {"Open", "WON", "void_", "voided", "", " lost", "settled", "Pending", "accepted"}) {
    EXPECT_EQ(parse_bet_status(unknown), std::nullopt) << unknown;
    EXPECT_EQ(parse_leg_result(unknown), std::nullopt) << unknown;
  }
}

TEST(Betting, OddsChangePolicy) {
  EXPECT_EQ(accepted_odds(1850, 1850, OddsChange::none), 1850);
  EXPECT_EQ(accepted_odds(1850, 1900, OddsChange::none), std::nullopt);
  EXPECT_EQ(accepted_odds(1850, 1800, OddsChange::none), std::nullopt);
  EXPECT_EQ(accepted_odds(1850, 1900, OddsChange::higher), 1900);
  EXPECT_EQ(accepted_odds(1850, 1800, OddsChange::higher), std::nullopt);
  EXPECT_EQ(accepted_odds(1850, 1800, OddsChange::any), 1800);
  EXPECT_EQ(accepted_odds(1850, 1900, OddsChange::any), 1900);
}

TEST(Betting, SingleOutcomes) {
  EXPECT_EQ(settle(1000, {{1850, R::open}}).status, BetStatus::open);
  const auto won = settle(1000, {{1850, R::won}});
  EXPECT_EQ(won.status, BetStatus::won);
  EXPECT_EQ(won.payout, 1850);
  const auto lost = settle(1000, {{1850, R::lost}});
  EXPECT_EQ(lost.status, BetStatus::lost);
  EXPECT_EQ(lost.payout, 0);
  const auto refunded = settle(1000, {{1850, R::void_}});
  EXPECT_EQ(refunded.status, BetStatus::void_);
  EXPECT_EQ(refunded.payout, 1000);
}

TEST(Betting, PayoutIsFlooredToTheKobo) {
  EXPECT_EQ(settle(333, {{1010, R::won}}).payout, 336);               // 336.33
  EXPECT_EQ(settle(1, {{1999, R::won}}).payout, 1);                   // 1.999
  EXPECT_EQ(settle(7, {{1333, R::won}, {1333, R::won}}).payout, 12);  // 12.437...
}

TEST(Betting, AccumulatorIsLostAsSoonAsOneLegLoses) {
  const auto b = settle(1000, {{1850, R::open}, {2000, R::lost}, {3000, R::open}});
  EXPECT_EQ(b.status, BetStatus::lost);
  EXPECT_EQ(b.payout, 0);
  EXPECT_EQ(settle(1000, {{1850, R::won}, {2000, R::won}, {3000, R::lost}}).status, BetStatus::lost);
}

TEST(Betting, AccumulatorStaysOpenUntilEveryLegIsResolved) {
  EXPECT_EQ(settle(1000, {{1850, R::won}, {2000, R::open}}).status, BetStatus::open);
  EXPECT_EQ(settle(1000, {{1850, R::void_}, {2000, R::open}}).status, BetStatus::open);
}

TEST(Betting, VoidLegsCountAsEvens) {
  const auto b = settle(1000, {{1850, R::won}, {2000, R::void_}, {3000, R::won}});
  EXPECT_EQ(b.status, BetStatus::won);
  EXPECT_EQ(b.payout, 5550);  // 1000 x 1.85 x 3.00
  const auto all_void = settle(1000, {{1850, R::void_}, {2000, R::void_}});
  EXPECT_EQ(all_void.status, BetStatus::void_);
  EXPECT_EQ(all_void.payout, 1000);
}

// An independent model: exact products in 128-bit integers (small enough legs).
TEST(Betting, PropertyRandomSlipsMatchAnExactModel) {
  std::mt19937_64 rng(20261125);
  std::uniform_int_distribution<Odds> odds(kMinOdds, 50'000);
  std::uniform_int_distribution<Kobo> stake(1, 100'000'000);
  std::uniform_int_distribution<int> count(1, 4), result(0, 3);
  for (int round = 0; round < 20000; ++round) {
    const Kobo s = stake(rng);
    std::vector<Leg> legs;
    const int n = count(rng);
    bool any_lost = false, any_open = false, any_won = false;
    u128 numerator = static_cast<u128>(s), denominator = 1;
    for (int i = 0; i < n; ++i) {
      const auto r = static_cast<R>(result(rng));
      legs.push_back({odds(rng), r});
      any_lost |= r == R::lost;
      any_open |= r == R::open;
      if (r == R::won) {
        any_won = true;
        numerator *= static_cast<u128>(legs.back().odds);
        denominator *= 1000;
      }
    }
    const auto out = settle(s, legs);
    if (any_lost) {
      ASSERT_EQ(out.status, BetStatus::lost);
      ASSERT_EQ(out.payout, 0);
    } else if (any_open) {
      ASSERT_EQ(out.status, BetStatus::open);
    } else if (!any_won) {
      ASSERT_EQ(out.status, BetStatus::void_);
      ASSERT_EQ(out.payout, s);
    } else {
      ASSERT_EQ(out.status, BetStatus::won);
      ASSERT_EQ(static_cast<u128>(out.payout), numerator / denominator);
      ASSERT_GT(out.payout, s);  // every odds is above 1.00
    }
  }
}

}  // namespace
}  // namespace b2w::domain
