#include "security/rate_limiter.hpp"

#include <gtest/gtest.h>

using b2w::security::decide;
using namespace std::chrono;

TEST(RateDecision, WithinAndOverTheLimit) {
  auto first = decide(1, seconds(60), 100);
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(first.remaining, 99);
  EXPECT_EQ(first.reset_seconds, 60);
  auto last = decide(100, milliseconds(1500), 100);
  EXPECT_TRUE(last.allowed);
  EXPECT_EQ(last.remaining, 0);
  EXPECT_EQ(last.reset_seconds, 2);
  auto over = decide(101, milliseconds(10), 100);
  EXPECT_FALSE(over.allowed);
  EXPECT_EQ(over.remaining, 0);
  EXPECT_EQ(over.reset_seconds, 1);
}
