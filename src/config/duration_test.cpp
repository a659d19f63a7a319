#include "config/duration.hpp"

#include <gtest/gtest.h>

using namespace std::chrono;
using b2w::config::format_duration;
using b2w::config::parse_byte_size;
using b2w::config::parse_duration;

TEST(Duration, ParsesEveryUnit) {
  std::string err;
  EXPECT_EQ(parse_duration("500ms", seconds(1), err), milliseconds(500));
  EXPECT_EQ(parse_duration("30s", seconds(1), err), seconds(30));
  EXPECT_EQ(parse_duration("15m", seconds(1), err), minutes(15));
  EXPECT_EQ(parse_duration("1h", seconds(1), err), hours(1));
  EXPECT_EQ(parse_duration("7d", seconds(1), err), hours(24 * 7));
  EXPECT_EQ(parse_duration(" 2s ", seconds(1), err), seconds(2));
}

TEST(Duration, BareNumbersUseTheGivenUnit) {
  std::string err;
  EXPECT_EQ(parse_duration("3600", seconds(1), err), hours(1));
  EXPECT_EQ(parse_duration("2000", milliseconds(1), err), seconds(2));
  EXPECT_EQ(parse_duration("0", seconds(1), err), milliseconds(0));
}

TEST(Duration, RejectsGarbageWithAReason) {
  for (const char* bad : {"", "1x", "abc", "-5s", "1.5h", "s", "10 s", "1hh", "99999999999999999999s"}) {
    std::string err;
    EXPECT_FALSE(parse_duration(bad, seconds(1), err)) << bad;
    EXPECT_FALSE(err.empty()) << bad;
  }
}

TEST(Duration, RejectsOverflow) {
  std::string err;
  EXPECT_FALSE(parse_duration("100000000d", seconds(1), err));
  EXPECT_NE(err.find("too large"), std::string::npos);
}

TEST(Duration, FormatsInTheLargestWholeUnit) {
  EXPECT_EQ(format_duration(hours(24 * 7)), "7d");
  EXPECT_EQ(format_duration(hours(1)), "1h");
  EXPECT_EQ(format_duration(minutes(15)), "15m");
  EXPECT_EQ(format_duration(seconds(65)), "65s");
  EXPECT_EQ(format_duration(milliseconds(1500)), "1500ms");
  EXPECT_EQ(format_duration(milliseconds(0)), "0s");
}

TEST(ByteSize, ParsesUnits) {
  std::string err;
  EXPECT_EQ(parse_byte_size("1048576", err), 1048576u);
  EXPECT_EQ(parse_byte_size("512KiB", err), 512u * 1024);
  EXPECT_EQ(parse_byte_size("1MiB", err), 1024u * 1024);
  EXPECT_FALSE(parse_byte_size("1 furlong", err));
  EXPECT_FALSE(parse_byte_size("-1", err));
}
