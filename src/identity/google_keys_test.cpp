#include "identity/google_keys.hpp"

#include <gtest/gtest.h>

namespace {

using b2w::identity::GoogleKeySetPtr;
using b2w::identity::JwksCachePolicy;
using Need = JwksCachePolicy::Need;
using namespace std::chrono_literals;

GoogleKeySetPtr some_keys() {
  return std::make_shared<const b2w::security::GoogleKeySet>(*b2w::security::GoogleKeySet::parse(R"({"keys":[]})"));
}

struct JwksCache : ::testing::Test {
  JwksCachePolicy policy;
  JwksCachePolicy::Time t0 = JwksCachePolicy::Clock::now();

  void expect(JwksCachePolicy::Step step, bool fetch, bool wait) {
    EXPECT_EQ(step.start_fetch, fetch);
    EXPECT_EQ(step.wait, wait);
  }
};

TEST_F(JwksCache, WithoutASetTheFirstCallerFetchesAndTheOthersWait) {
  expect(policy.next(Need::any_set, t0), true, true);
  EXPECT_TRUE(policy.fetching());
  expect(policy.next(Need::any_set, t0), false, true);
  expect(policy.next(Need::unknown_kid, t0), false, true);
  policy.fetched(some_keys(), 60s, t0 + 1s);
  EXPECT_FALSE(policy.fetching());
  EXPECT_TRUE(policy.keys());
}

TEST_F(JwksCache, AFreshSetIsUsedUntilItsMaxAgeThenRefreshedInTheBackground) {
  policy.next(Need::any_set, t0);
  policy.fetched(some_keys(), 60s, t0);
  expect(policy.next(Need::any_set, t0 + 59s), false, false);
  expect(policy.next(Need::any_set, t0 + 60s), true, false);   // stale: used while one fetch replaces it
  expect(policy.next(Need::any_set, t0 + 61s), false, false);  // that fetch is in flight
  policy.fetched(some_keys(), 60s, t0 + 62s);
  expect(policy.next(Need::any_set, t0 + 100s), false, false);
}

TEST_F(JwksCache, WithoutAMaxAgeASetStaysFreshForTheDefault) {
  policy.next(Need::any_set, t0);
  policy.fetched(some_keys(), std::nullopt, t0);
  expect(policy.next(Need::any_set, t0 + JwksCachePolicy::kFreshnessWithoutMaxAge - 1s), false, false);
  expect(policy.next(Need::any_set, t0 + JwksCachePolicy::kFreshnessWithoutMaxAge), true, false);
}

TEST_F(JwksCache, AFailedFetchKeepsTheSetAndPausesBeforeTheNextTry) {
  policy.next(Need::any_set, t0);
  const auto first = some_keys();
  policy.fetched(first, 0s, t0);  // no-cache: stale at once
  expect(policy.next(Need::any_set, t0 + 1s), true, false);
  policy.failed(t0 + 2s);
  EXPECT_EQ(policy.keys(), first);
  expect(policy.next(Need::any_set, t0 + 2s + JwksCachePolicy::kRetryAfterFailure - 1s), false, false);
  expect(policy.next(Need::any_set, t0 + 2s + JwksCachePolicy::kRetryAfterFailure), true, false);
}

TEST_F(JwksCache, WithoutAnySetEveryCallTriesAgain) {
  policy.next(Need::any_set, t0);
  policy.failed(t0 + 1s);
  EXPECT_FALSE(policy.keys());
  expect(policy.next(Need::any_set, t0 + 1s), true, true);
}

TEST_F(JwksCache, UnknownKidsRefetchAtMostOncePerInterval) {
  policy.next(Need::any_set, t0);
  policy.fetched(some_keys(), 3600s, t0);
  expect(policy.next(Need::unknown_kid, t0 + 1s), true, true);
  expect(policy.next(Need::unknown_kid, t0 + 1s), false, true);  // joins the refetch in flight
  policy.fetched(some_keys(), 3600s, t0 + 2s);
  expect(policy.next(Need::unknown_kid, t0 + 30s), false, false);
  expect(policy.next(Need::unknown_kid, t0 + 1s + JwksCachePolicy::kUnknownKidRefetchInterval - 1ms), false, false);
  expect(policy.next(Need::unknown_kid, t0 + 1s + JwksCachePolicy::kUnknownKidRefetchInterval), true, true);
  policy.failed(t0 + 62s);  // a failed refetch counts too: no second try within the interval
  expect(policy.next(Need::unknown_kid, t0 + 70s), false, false);
}

}  // namespace
