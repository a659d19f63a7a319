#include "util/blocking_pool.hpp"

#include <gtest/gtest.h>
#include <sched.h>

#include "app/blocking.hpp"

namespace b2w {
namespace {

TEST(BlockingPool, WorkRunsOnIdlePriorityThreadsAndReturnsItsValue) {
  BlockingPool pool(2);
  const auto policy = app::run_blocking(pool.run([] { return sched_getscheduler(0); }));
  EXPECT_EQ(policy, SCHED_IDLE) << "the hashing threads must yield to the I/O threads at once";
  EXPECT_NE(sched_getscheduler(0), SCHED_IDLE) << "only the pool's threads are lowered";
}

}  // namespace
}  // namespace b2w
