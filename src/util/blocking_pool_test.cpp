#include "util/blocking_pool.hpp"

#include <gtest/gtest.h>
#include <sched.h>

#include <boost/asio/detached.hpp>
#include <future>

#include "app/blocking.hpp"

namespace b2w {
namespace {

namespace asio = boost::asio;

TEST(BlockingPool, WorkRunsOnIdlePriorityThreadsAndReturnsItsValue) {
  BlockingPool pool(2);
  const auto policy = app::run_blocking(pool.run([] { return sched_getscheduler(0); }));
  EXPECT_EQ(policy, SCHED_IDLE) << "the hashing threads must yield to the I/O threads at once";
  EXPECT_NE(sched_getscheduler(0), SCHED_IDLE) << "only the pool's threads are lowered";
}

TEST(BlockingPool, TheDefaultQueueIsEightJobsPerThread) {
  EXPECT_EQ(BlockingPool(2).capacity(), 2u + 16u);
  EXPECT_EQ(BlockingPool(1, 1).capacity(), 2u);
}

TEST(BlockingPool, AFullQueueRefusesAtOnceAndAdmitsAgainOnceDrained) {
  BlockingPool pool(1, 1);  // one running, one waiting
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  asio::io_context io;
  int finished = 0, refused = 0;
  auto job = [&]() -> asio::awaitable<void> {
    try {
      co_await pool.run([&released] {
        released.wait();
        return 0;
      });
      ++finished;
    } catch (const ServiceUnavailable&) {
      ++refused;
    }
  };
  for (int i = 0; i < 4; ++i) asio::co_spawn(io, job(), asio::detached);
  // The two refusals happen without waiting for the running job.
  while (refused < 2) io.run_one();
  EXPECT_EQ(finished, 0);
  release.set_value();
  io.run();
  EXPECT_EQ(finished, 2);
  EXPECT_EQ(refused, 2);
  // Slots are given back: the pool admits work again.
  EXPECT_EQ(app::run_blocking(pool.run([] { return 7; })), 7);
}

}  // namespace
}  // namespace b2w
