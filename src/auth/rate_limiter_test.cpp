#include "auth/rate_limiter.hpp"

#include <gtest/gtest.h>

#include "app/blocking.hpp"
#include "kv/memory_store.hpp"

using b2w::auth::decide;
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

// The login lock and the throttle's hold, on the in-process store (tests/kv checks both stores agree).
TEST(RateLimiter, ALockHasOneHolderAndOnlyItsTokenReleasesIt) {
  b2w::kv::MemoryStore kv;
  b2w::auth::RateLimiter limiter(kv);
  const auto first = b2w::app::run_blocking(limiter.try_lock("lock:a", std::chrono::seconds(10)));
  ASSERT_TRUE(first);
  EXPECT_FALSE(b2w::app::run_blocking(limiter.try_lock("lock:a", std::chrono::seconds(10))));
  b2w::app::run_blocking(limiter.unlock("lock:a", "not-the-token"));
  EXPECT_FALSE(b2w::app::run_blocking(limiter.try_lock("lock:a", std::chrono::seconds(10))));
  b2w::app::run_blocking(limiter.unlock("lock:a", *first));
  EXPECT_TRUE(b2w::app::run_blocking(limiter.try_lock("lock:a", std::chrono::seconds(10))));
}

TEST(RateLimiter, AHoldSaysWhatIsLeftOfIt) {
  b2w::kv::MemoryStore kv;
  b2w::auth::RateLimiter limiter(kv);
  EXPECT_EQ(b2w::app::run_blocking(limiter.held_for("hold:a")).count(), 0);
  b2w::app::run_blocking(limiter.hold("hold:a", std::chrono::minutes(5)));
  const auto left = b2w::app::run_blocking(limiter.held_for("hold:a"));
  EXPECT_GT(left, std::chrono::minutes(4));
  EXPECT_LE(left, std::chrono::minutes(5));
  EXPECT_EQ(b2w::app::run_blocking(limiter.count("count:a", std::chrono::minutes(1))), 1);
  EXPECT_EQ(b2w::app::run_blocking(limiter.count("count:a", std::chrono::minutes(1))), 2);
}
