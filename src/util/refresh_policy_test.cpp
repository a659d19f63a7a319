#include "util/refresh_policy.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using Policy = b2w::RefreshPolicy<int>;
using Want = Policy::Want;

constexpr auto kFresh = 100s;
constexpr auto kRetry = 10s;
constexpr auto kNewer = 60s;

struct RefreshPolicyTest : ::testing::Test {
  Policy policy{{.fresh_for = kFresh, .retry_after_failure = kRetry, .newer_interval = kNewer}};
  Policy::Time t0 = Policy::Clock::now();

  static Policy::Ptr value(int v) { return std::make_shared<const int>(v); }
  // The value held, fetched at `at` with the default freshness; nothing in flight afterwards.
  void hold(Policy::Time at) {
    policy.next(Want::current, at);
    policy.fetched(value(1), std::nullopt, at);
  }
  static void expect(Policy::Step step, bool fetch, bool wait) {
    EXPECT_EQ(step.start_fetch, fetch);
    EXPECT_EQ(step.wait, wait);
  }
};

TEST_F(RefreshPolicyTest, StartsEmptyAndIdle) {
  EXPECT_FALSE(policy.value());
  EXPECT_FALSE(policy.fetching());
}

TEST_F(RefreshPolicyTest, ColdTheFirstCallerFetchesAndEveryOtherWaitsForIt) {
  expect(policy.next(t0), true, true);
  EXPECT_TRUE(policy.fetching());
  expect(policy.next(t0), false, true);
  expect(policy.next(Want::current, t0 + 1h), false, true);
  expect(policy.next(Want::newer, t0), false, true);  // nothing held: newer is just "any"
  policy.fetched(value(7), std::nullopt, t0 + 1s);
  EXPECT_FALSE(policy.fetching());
  ASSERT_TRUE(policy.value());
  EXPECT_EQ(*policy.value(), 7);
}

TEST_F(RefreshPolicyTest, ColdAndFailedTheNextCallerTriesAgainAtOnce) {
  policy.next(t0);
  policy.failed(t0 + 1s);
  EXPECT_FALSE(policy.fetching());
  EXPECT_FALSE(policy.value());
  expect(policy.next(t0 + 1s), true, true);  // the retry pause applies only while a value can be served
  policy.failed(t0 + 2s);
  expect(policy.next(Want::newer, t0 + 2s), true, true);
}

TEST_F(RefreshPolicyTest, AFreshValueIsUsedAsIsUntilTheDefaultFreshnessEnds) {
  hold(t0);
  expect(policy.next(t0), false, false);
  expect(policy.next(t0 + kFresh - 1ns), false, false);
  EXPECT_FALSE(policy.fetching());
  expect(policy.next(t0 + kFresh), true, false);  // stale: served while one fetch replaces it
}

TEST_F(RefreshPolicyTest, TheFetchsOwnFreshnessWinsOverTheDefault) {
  policy.next(t0);
  policy.fetched(value(1), 30s, t0);
  expect(policy.next(t0 + 30s - 1ns), false, false);
  expect(policy.next(t0 + 30s), true, false);
  policy.fetched(value(2), 0s, t0 + 31s);  // no-cache: stale at once
  expect(policy.next(t0 + 31s), true, false);
  policy.fetched(value(3), 1000s, t0 + 32s);  // longer than the default too
  expect(policy.next(t0 + 32s + kFresh), false, false);
  expect(policy.next(t0 + 1032s), true, false);
}

TEST_F(RefreshPolicyTest, AStaleValueIsServedWhileOneBackgroundFetchReplacesIt) {
  hold(t0);
  expect(policy.next(t0 + kFresh), true, false);
  EXPECT_TRUE(policy.fetching());
  expect(policy.next(t0 + kFresh), false, false);  // that fetch is in flight: no second one, no wait
  expect(policy.next(t0 + kFresh + 1h), false, false);
  const auto replacement = value(2);
  policy.fetched(replacement, std::nullopt, t0 + kFresh + 1h);
  EXPECT_EQ(policy.value(), replacement);
  expect(policy.next(t0 + kFresh + 1h + kFresh - 1ns), false, false);
  expect(policy.next(t0 + kFresh + 1h + kFresh), true, false);
}

TEST_F(RefreshPolicyTest, AFailedRefreshKeepsTheValueAndPausesBeforeTheNextTry) {
  hold(t0);
  const auto held = policy.value();
  expect(policy.next(t0 + kFresh), true, false);
  policy.failed(t0 + kFresh + 1s);
  EXPECT_FALSE(policy.fetching());
  EXPECT_EQ(policy.value(), held);
  expect(policy.next(t0 + kFresh + 1s), false, false);
  expect(policy.next(t0 + kFresh + 1s + kRetry - 1ns), false, false);
  expect(policy.next(t0 + kFresh + 1s + kRetry), true, false);
  policy.failed(t0 + kFresh + 2s + kRetry);  // each failure pauses again
  expect(policy.next(t0 + kFresh + 2s + kRetry + kRetry - 1ns), false, false);
  expect(policy.next(t0 + kFresh + 2s + kRetry + kRetry), true, false);
}

TEST_F(RefreshPolicyTest, AFreshFetchAfterAFailureIsNotHeldBackByTheOldPause) {
  hold(t0);
  policy.next(t0 + kFresh);
  policy.failed(t0 + kFresh);
  expect(policy.next(t0 + kFresh + kRetry), true, false);
  policy.fetched(value(2), 1s, t0 + kFresh + kRetry);
  expect(policy.next(t0 + kFresh + kRetry + 1s), true, false);  // the pause ended before this staleness
}

TEST_F(RefreshPolicyTest, NewerFetchesAtOnceAndWaitsEvenWhileTheValueIsFresh) {
  hold(t0);
  expect(policy.next(Want::newer, t0 + 1s), true, true);
  EXPECT_TRUE(policy.fetching());
  expect(policy.next(Want::newer, t0 + 1s), false, true);     // joins the fetch in flight
  expect(policy.next(Want::current, t0 + 1s), false, false);  // the fresh value does for everyone else
  policy.fetched(value(2), std::nullopt, t0 + 2s);
  EXPECT_EQ(*policy.value(), 2);
}

TEST_F(RefreshPolicyTest, NewerJoinsABackgroundRefreshInFlight) {
  hold(t0);
  expect(policy.next(t0 + kFresh), true, false);
  expect(policy.next(Want::newer, t0 + kFresh), false, true);
  policy.fetched(value(2), std::nullopt, t0 + kFresh + 1s);
  expect(policy.next(Want::newer, t0 + kFresh + 1s), true, true);  // joining used none of the allowance
}

TEST_F(RefreshPolicyTest, NewerFetchesAtMostOncePerInterval) {
  hold(t0);
  expect(policy.next(Want::newer, t0 + 1s), true, true);
  policy.fetched(value(2), std::nullopt, t0 + 2s);
  expect(policy.next(Want::newer, t0 + 30s), false, false);  // the value held will have to do
  expect(policy.next(Want::newer, t0 + 1s + kNewer - 1ns), false, false);
  expect(policy.next(Want::newer, t0 + 1s + kNewer), true, true);
  policy.fetched(value(3), std::nullopt, t0 + 1s + kNewer);
  expect(policy.next(Want::newer, t0 + 1s + kNewer + kNewer - 1ns), false, false);
}

TEST_F(RefreshPolicyTest, AFailedNewerFetchCountsAgainstTheIntervalButNotTheRetryPause) {
  hold(t0);
  expect(policy.next(Want::newer, t0 + 1s), true, true);
  policy.failed(t0 + 2s);
  EXPECT_EQ(*policy.value(), 1);
  expect(policy.next(Want::newer, t0 + 10s), false, false);
  // The retry pause is for background refreshes; once the interval is over, newer may fetch within a pause.
  policy.next(t0 + kFresh);
  policy.failed(t0 + kFresh);
  expect(policy.next(t0 + kFresh + 1s), false, false);
  expect(policy.next(Want::newer, t0 + kFresh + 1s), true, true);
}

TEST_F(RefreshPolicyTest, NewerWithinTheIntervalStartsNoRefreshEvenOfAStaleValue) {
  hold(t0);
  policy.next(Want::newer, t0 + 1s);
  policy.fetched(value(2), 0s, t0 + 1s);  // stale at once
  expect(policy.next(Want::newer, t0 + 2s), false, false);
  expect(policy.next(Want::current, t0 + 2s), true, false);  // the ordinary caller refreshes it
}

TEST_F(RefreshPolicyTest, WithoutANewerIntervalEveryNewerCallFetches) {
  Policy eager{{.fresh_for = kFresh, .retry_after_failure = kRetry}};
  eager.next(t0);
  eager.fetched(value(1), std::nullopt, t0);
  expect(eager.next(Want::newer, t0), true, true);
  eager.fetched(value(2), std::nullopt, t0);
  expect(eager.next(Want::newer, t0), true, true);
}

}  // namespace
