#include "util/time.hpp"

#include <gtest/gtest.h>

TEST(Time, Rfc3339) {
  EXPECT_EQ(b2w::rfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(b2w::rfc3339(1'780'000'000'123'456), "2026-05-28T20:26:40.123Z");
  EXPECT_EQ(b2w::rfc3339(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Time, ParseRfc3339) {
  EXPECT_EQ(b2w::parse_rfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(b2w::parse_rfc3339("2026-11-25T21:06:59.123Z"), 1795640819123000);
  EXPECT_EQ(b2w::parse_rfc3339("2026-11-25T22:06:59.123+01:00"), 1795640819123000);
  EXPECT_EQ(b2w::parse_rfc3339("2026-11-25 20:06:59.123456789-01:00"), 1795640819123456);
  EXPECT_EQ(b2w::parse_rfc3339("2024-02-29T00:00:00Z"), 1709164800000000);
  for (const char* bad : {"", "2026-11-25", "2026-11-25T21:06:59", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
                          "2026-11-25T24:00:00Z", "2026-11-25T21:06:59.Z", "2026-11-25T21:06:59+0100",
                          "1969-12-31T23:59:59Z", "2026-11-25T21:06:59Zjunk", "2026/11/25T21:06:59Z"})
    EXPECT_EQ(b2w::parse_rfc3339(bad), std::nullopt) << bad;
  // Round trip with the formatter.
  for (std::int64_t t : {0LL, 1795640819123000LL, 4102444799999000LL})
    EXPECT_EQ(b2w::parse_rfc3339(b2w::rfc3339(t)), t);
}
