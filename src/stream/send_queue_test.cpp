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
  q.pop();
  EXPECT_EQ(q.bytes(), 40u);
  EXPECT_TRUE(q.push(frame_of(60)));
  EXPECT_FALSE(q.push(frame_of(1)));
}

TEST(SendQueue, AnEmptyQueueTakesOneFrameLargerThanItsBound) {
  SendQueue q(10);
  EXPECT_TRUE(q.push(frame_of(50))) << "else a large frame could never be sent";
  EXPECT_FALSE(q.push(frame_of(1)));
}

TEST(SendQueue, DropBehindFrontKeepsTheFrameInFlight) {
  SendQueue q(1000);
  const auto first = frame_of(10);
  q.push(first);
  q.push(frame_of(20));
  q.push(frame_of(30));
  q.drop_behind_front();
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.front(), first);
  EXPECT_EQ(q.bytes(), 10u);
}

TEST(SendQueue, FramesAreSharedNotCopied) {
  SendQueue a(1000), b(1000);
  const auto shared = frame_of(100);
  a.push(shared);
  b.push(shared);
  EXPECT_EQ(a.front().get(), b.front().get());
  EXPECT_EQ(shared.use_count(), 3);
}
