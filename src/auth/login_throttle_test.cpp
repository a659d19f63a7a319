#include "auth/login_throttle.hpp"

#include <gtest/gtest.h>

using namespace b2w::auth;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(LoginThrottle, FreeFailuresThenADoublingHoldUpToTheMax) {
  const LoginThrottle t{10, seconds(5), minutes(15)};
  for (int f = 0; f < 10; ++f) EXPECT_EQ(t.hold_after(f).count(), 0) << f;
  EXPECT_EQ(t.hold_after(10), seconds(5)) << "ten wrong passwords hold the owner for seconds, not 15 minutes";
  EXPECT_EQ(t.hold_after(11), seconds(10));
  EXPECT_EQ(t.hold_after(12), seconds(20));
  EXPECT_EQ(t.hold_after(17), seconds(640));
  EXPECT_EQ(t.hold_after(18), minutes(15));
  EXPECT_EQ(t.hold_after(1'000'000), minutes(15));
}

TEST(LoginThrottle, AChallengeIsAskedForOnceThrottled) {
  const LoginThrottle t{3, seconds(1), seconds(60)};
  EXPECT_FALSE(t.challenge_required(2));
  EXPECT_TRUE(t.challenge_required(3));
}
