#include "domain/odds.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace b2w::domain;

__extension__ typedef unsigned __int128 u128;  // the reference implementation only

TEST(Odds, ParseExactThousandths) {
  EXPECT_EQ(parse_odds("1.85"), 1850);
  EXPECT_EQ(parse_odds("2"), 2000);
  EXPECT_EQ(parse_odds("10.125"), 10125);
  EXPECT_EQ(parse_odds("1.01"), 1010);
  EXPECT_EQ(parse_odds("1000"), 1'000'000);
  EXPECT_EQ(parse_odds("1.010"), 1010);
}

TEST(Odds, RejectMalformedAndOutOfRange) {
  for (const char* bad : {"", "1", "1.00", "1.009", "1000.001", "1001", "-2", "+2", "2.", ".5", "1.2345", "1e2", "01.5",
                          "1,85", "2.5x", " 2.5", "NaN", "99999999999999"})
    EXPECT_FALSE(parse_odds(bad)) << bad;
}

TEST(Odds, FormatRoundTrips) {
  EXPECT_EQ(format_odds(1850), "1.85");
  EXPECT_EQ(format_odds(2000), "2.00");
  EXPECT_EQ(format_odds(10125), "10.125");
  EXPECT_EQ(format_odds(1'000'000), "1000.00");
  for (Odds o = kMinOdds; o <= 20000; o += 7) EXPECT_EQ(parse_odds(format_odds(o)), o);
}

TEST(Odds, ProductIsExact) {
  EXPECT_EQ(product_text({1850}), "1.85");
  EXPECT_EQ(product_text({1850, 2100}), "3.885");
  EXPECT_EQ(product_text({1500, 1500, 1500}), "3.375");
  EXPECT_EQ(product_text({1010, 1010}), "1.0201");
  EXPECT_EQ(product_text({2000, 2000}), "4.00");
}

TEST(Payout, FloorOfStakeTimesOdds) {
  const std::int64_t cap = 1'000'000'000'000;
  EXPECT_EQ(payout(1000, {1850}, cap), 1850);
  EXPECT_EQ(payout(333, {1850}, cap), 616);  // 616.05 -> 616
  EXPECT_EQ(payout(1000, {1850, 2100}, cap), 3885);
  EXPECT_EQ(payout(7, {1333, 1333, 1333}, cap), 16);  // 7 x 2.368593037 = 16.58...
  EXPECT_EQ(payout(0, {1850}, cap), 0);
  EXPECT_FALSE(payout(1000, {1850}, 1849));
  EXPECT_EQ(payout(1000, {1850}, 1850), 1850);
}

// Found by fuzzing (tests/fuzz/odds_money): a payout below one kobo skipped the cap check.
TEST(Payout, EvenAZeroPayoutRespectsTheCap) {
  EXPECT_FALSE(payout(0, {1850, 2100, 1010, 1010}, -1));
  EXPECT_FALSE(payout(0, {}, -1));
  EXPECT_EQ(payout(0, {1850}, 0), 0);
}

TEST(Payout, TwentyLegsAtMaximumOddsDoNotOverflow) {
  std::vector<Odds> legs(20, kMaxOdds);
  EXPECT_FALSE(payout(100, legs, 9'000'000'000'000'000'000));
  EXPECT_EQ(product_text(std::vector<Odds>(2, kMaxOdds)), "1000000.00");
}

TEST(Payout, PropertyMatchesInt128ReferenceForUpToFourLegs) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<Odds> odds(kMinOdds, 50'000);
  std::uniform_int_distribution<std::int64_t> stake(1, 10'000'000);
  for (int i = 0; i < 5000; ++i) {
    const int n = 1 + static_cast<int>(rng() % 4);
    std::vector<Odds> legs;
    u128 product = static_cast<u128>(stake(rng));
    const auto s = static_cast<std::int64_t>(product);
    u128 divisor = 1;
    for (int k = 0; k < n; ++k) {
      legs.push_back(odds(rng));
      product *= static_cast<u128>(legs.back());
      divisor *= 1000;
    }
    const auto expected = static_cast<std::int64_t>(product / divisor);
    EXPECT_EQ(payout(s, legs, INT64_MAX), expected) << i;
    // Monotonic in the stake, never above stake x (rounded-up odds).
    EXPECT_LE(*payout(s, legs, INT64_MAX), *payout(s + 1, legs, INT64_MAX));
  }
}

TEST(Odds, TheDayPayoutCapCountsTheDaysOtherBets) {
  EXPECT_TRUE(fits_day_payout_cap(0, 5'000'000'000, 5'000'000'000)) << "exactly the cap fits";
  EXPECT_FALSE(fits_day_payout_cap(1, 5'000'000'000, 5'000'000'000));
  EXPECT_TRUE(fits_day_payout_cap(4'000'000'000, 1'000'000'000, 5'000'000'000));
  EXPECT_FALSE(fits_day_payout_cap(4'000'000'000, 1'000'000'001, 5'000'000'000));
  EXPECT_FALSE(fits_day_payout_cap(6'000'000'000, 1, 5'000'000'000)) << "a lowered cap refuses every bet";
}
