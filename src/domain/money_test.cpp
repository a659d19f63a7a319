#include "domain/money.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <random>

using namespace b2w::domain;

TEST(Money, CheckedAdd) {
  EXPECT_EQ(checked_add(1, 2), 3);
  EXPECT_FALSE(checked_add(std::numeric_limits<Kobo>::max(), 1));
  EXPECT_FALSE(checked_add(std::numeric_limits<Kobo>::min(), -1));
}

TEST(Postings, ValidDoubleEntry) {
  EXPECT_FALSE(posting_problem({{"wallet:u1", 5000}, {"clearing:paystack", -5000}}));
  EXPECT_FALSE(posting_problem({{"wallet:u1", -300}, {"in_play:u1", 200}, {"house", 100}}));
}

TEST(Postings, EveryWayToBeWrong) {
  EXPECT_TRUE(posting_problem({}));
  EXPECT_TRUE(posting_problem({{"wallet:u1", 0}, {"house", 0}}));
  EXPECT_TRUE(posting_problem({{"wallet:u1", 100}}));
  EXPECT_TRUE(posting_problem({{"wallet:u1", 100}, {"house", -99}}));
  EXPECT_TRUE(posting_problem({{"wallet:u1", 100}, {"wallet:u1", -100}}));
  EXPECT_TRUE(posting_problem({{"", 100}, {"house", -100}}));
  const Kobo max = std::numeric_limits<Kobo>::max();
  EXPECT_TRUE(posting_problem({{"a", max}, {"b", max}, {"c", 2}}));
  EXPECT_TRUE(posting_problem({{"a", kMaxPosting + 1}, {"b", -kMaxPosting - 1}}));
  EXPECT_FALSE(posting_problem({{"a", kMaxPosting}, {"b", -kMaxPosting}}));
}

TEST(Postings, PropertyRandomBalancedSetsAreValid) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<Kobo> amount(-1'000'000'000, 1'000'000'000);
  for (int round = 0; round < 2000; ++round) {
    std::vector<Posting> postings;
    Kobo sum = 0;
    const int n = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) {
      Kobo a = amount(rng);
      if (a == 0) a = 1;
      postings.push_back({"acct" + std::to_string(i), a});
      sum += a;
    }
    if (sum == 0) continue;
    postings.push_back({"balance", -sum});
    EXPECT_FALSE(posting_problem(postings)) << round;
    postings.back().amount += 1;  // off by one kobo: never valid
    EXPECT_TRUE(posting_problem(postings)) << round;
  }
}
