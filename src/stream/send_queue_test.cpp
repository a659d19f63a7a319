#include "stream/send_queue.hpp"

#include <gtest/gtest.h>

using namespace b2w::stream;

namespace {
Frame frame_of(std::size_t n) {
  return std::make_shared<const std::string>(n, 'x');
}
}  // namespace

TEST(SendQueue, RefusesWhatWouldGoOverItsBoundAndCountsBytes) {
  SendQueue q(100);
  EXPECT_TRUE(q.push(frame_of(60)));
  EXPECT_TRUE(q.push(frame_of(40)));
  EXPECT_EQ(q.bytes(), 100u);
  EXPECT_FALSE(q.push(frame_of(1))) << "full";
  EXPECT_EQ(q.size(), 2u);
  std::vector<Frame> batch;
  q.take(batch);
  EXPECT_FALSE(q.push(frame_of(1))) << "frames in flight still count";
  q.finish(batch);
  EXPECT_EQ(q.bytes(), 0u);
  EXPECT_TRUE(q.push(frame_of(60)));
  EXPECT_TRUE(q.push(frame_of(40)));
  EXPECT_FALSE(q.push(frame_of(1)));
}

TEST(SendQueue, AnEmptyQueueTakesOneFrameLargerThanItsBound) {
  SendQueue q(10);
  EXPECT_TRUE(q.push(frame_of(50))) << "else a large frame could never be sent";
  EXPECT_FALSE(q.push(frame_of(1)));
}

TEST(SendQueue, OneWriteTakesEveryFrameQueuedWhileTheLastWasInFlight) {
  SendQueue q(1'000'000);
  std::vector<Frame> batch;
  q.push(frame_of(10));
  q.take(batch);  // the first write: one frame
  ASSERT_EQ(batch.size(), 1u);
  for (int i = 0; i < 500; ++i) EXPECT_TRUE(q.push(frame_of(20)));  // arrive while it is in flight
  EXPECT_EQ(q.size(), 500u);
  EXPECT_EQ(q.bytes(), 10u + 500u * 20u);
  q.finish(batch);
  EXPECT_TRUE(batch.empty());
  q.take(batch);  // the next write: all 500 at once
  EXPECT_EQ(batch.size(), 500u);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.bytes(), 500u * 20u);
  q.finish(batch);
  EXPECT_EQ(q.bytes(), 0u);
}

TEST(SendQueue, DropWaitingKeepsTheFramesInFlight) {
  SendQueue q(1000);
  const auto first = frame_of(10);
  std::vector<Frame> batch;
  q.push(first);
  q.take(batch);
  q.push(frame_of(20));
  q.push(frame_of(30));
  q.drop_waiting();
  EXPECT_TRUE(q.empty());
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch.front(), first);
  EXPECT_EQ(q.bytes(), 10u);
}

TEST(SendQueue, FramesAreSharedNotCopied) {
  SendQueue a(1000), b(1000);
  const auto shared = frame_of(100);
  a.push(shared);
  b.push(shared);
  std::vector<Frame> from_a, from_b;
  a.take(from_a);
  b.take(from_b);
  EXPECT_EQ(from_a.front().get(), from_b.front().get());
  EXPECT_EQ(shared.use_count(), 3);
}
