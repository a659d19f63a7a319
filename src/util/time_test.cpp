#include "util/time.hpp"

#include <gtest/gtest.h>

TEST(Time, Rfc3339) {
  EXPECT_EQ(b2w::rfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(b2w::rfc3339(1'780'000'000'123'456), "2026-05-28T20:26:40.123Z");
  EXPECT_EQ(b2w::rfc3339(-1), "1969-12-31T23:59:59.999Z");
}
