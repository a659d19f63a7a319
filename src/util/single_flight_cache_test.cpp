#include "util/single_flight_cache.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

#include "util/refresh_policy.hpp"

namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Policy = b2w::RefreshPolicy<int>;
using Cache = b2w::SingleFlightCache<Policy>;

// The fetch of these tests: counts its calls, holds each until open(), then answers `next_value` or throws when it
// is 0.
struct Source {
  asio::io_context& io;
  int calls = 0;
  int next_value = 1;
  bool opened = false;
  std::shared_ptr<asio::steady_timer> gate =
      std::make_shared<asio::steady_timer>(io, asio::steady_timer::time_point::max());
  std::vector<std::string> failures;

  static b2w::Awaitable<Cache::Fetched> fetch(Source* source) {
    ++source->calls;
    if (!source->opened) {
      const auto gate = source->gate;
      co_await gate->async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (source->next_value == 0) throw std::runtime_error("boom");
    Cache::Fetched fetched{std::make_shared<const int>(source->next_value), std::nullopt};
    co_return fetched;
  }
  void open() {
    opened = true;
    gate->cancel();
  }
  void close() {
    opened = false;
    gate = std::make_shared<asio::steady_timer>(io, asio::steady_timer::time_point::max());
  }

  // Failures go to *sink, else to `failures`.
  Cache cache(std::chrono::milliseconds wait, std::chrono::milliseconds fresh_for = 1h,
              std::vector<std::string>* sink = nullptr) {
    if (!sink) sink = &failures;
    return Cache(
        Policy({.fresh_for = fresh_for, .retry_after_failure = 10s}), wait, [this] { return fetch(this); },
        [sink](std::string_view reason) { sink->emplace_back(reason); });
  }
};

struct SingleFlightCacheTest : ::testing::Test {
  asio::io_context io;
  Source source{io};
};

// Runs what is ready (the waiters' pending deadlines keep io from running out of work, but restart() anyway).
void drain(asio::io_context& io) {
  io.restart();
  io.poll();
}

// Starts cache.get() on io; the result lands in *out (as 0 for null, -1 until it completes).
void get(asio::io_context& io, Cache& cache, int* out) {
  *out = -1;
  asio::co_spawn(
      io,
      [](Cache* c, int* o) -> b2w::Awaitable<void> {
        auto value = co_await c->get();
        *o = value ? *value : 0;
      }(&cache, out),
      asio::detached);
}

TEST_F(SingleFlightCacheTest, ColdCallersShareOneFetch) {
  auto cache = source.cache(10s);
  int a = 0, b = 0, c = 0;
  get(io, cache, &a);
  get(io, cache, &b);
  get(io, cache, &c);
  drain(io);
  EXPECT_EQ(source.calls, 1);
  EXPECT_EQ(a, -1);  // all three wait for it
  source.next_value = 5;
  source.open();
  drain(io);
  EXPECT_EQ(a, 5);
  EXPECT_EQ(b, 5);
  EXPECT_EQ(c, 5);
  ASSERT_TRUE(cache.peek());
  EXPECT_EQ(*cache.peek(), 5);
  get(io, cache, &a);  // fresh: no fetch, no wait
  drain(io);
  EXPECT_EQ(a, 5);
  EXPECT_EQ(source.calls, 1);
  EXPECT_TRUE(source.failures.empty());
}

TEST_F(SingleFlightCacheTest, AFailedColdFetchIsReportedAndAnswersNull) {
  auto cache = source.cache(10s);
  int a = 0;
  get(io, cache, &a);
  source.next_value = 0;
  source.open();
  drain(io);
  EXPECT_EQ(a, 0);
  EXPECT_EQ(source.failures, std::vector<std::string>{"boom"});
  source.next_value = 2;
  get(io, cache, &a);  // cold: tries again at once
  drain(io);
  EXPECT_EQ(source.calls, 2);
  EXPECT_EQ(a, 2);
}

TEST_F(SingleFlightCacheTest, AWaitEndsAtItsDeadlineWithoutCancellingTheFetch) {
  auto cache = source.cache(50ms);
  int a = 0;
  get(io, cache, &a);
  while (a == -1) io.run_one();  // only the waiter's timer can complete: the gate stays shut
  EXPECT_EQ(a, 0);
  int b = 0;
  get(io, cache, &b);  // the fetch is still in flight: joined, not started again
  drain(io);
  EXPECT_EQ(source.calls, 1);
  source.open();
  drain(io);
  EXPECT_EQ(b, 1);
  EXPECT_EQ(*cache.peek(), 1);
}

TEST_F(SingleFlightCacheTest, AStaleValueIsServedAtOnceWhileTheRefreshRuns) {
  auto cache = source.cache(10s, 0ms);  // stale as soon as fetched
  int a = 0;
  get(io, cache, &a);
  source.open();
  drain(io);
  EXPECT_EQ(a, 1);
  source.close();
  source.next_value = 2;
  get(io, cache, &a);
  drain(io);
  EXPECT_EQ(a, 1);  // not held up by the refresh
  EXPECT_EQ(source.calls, 2);
  source.open();
  drain(io);
  EXPECT_EQ(*cache.peek(), 2);
}

TEST(SingleFlightCache, AFetchWhoseExecutorGoesAwayEndsAsAbandoned) {
  std::vector<std::string> failures;  // outlives io, whose destruction destroys the fetch's coroutine
  {
    asio::io_context io;
    Source source{io};
    auto cache = source.cache(10s, 1h, &failures);
    int a = 0;
    get(io, cache, &a);
    drain(io);
    EXPECT_EQ(source.calls, 1);
    EXPECT_EQ(a, -1);
  }
  EXPECT_EQ(failures, std::vector<std::string>{"abandoned"});
}

}  // namespace
