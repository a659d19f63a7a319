#include "config/sport_delays.hpp"

#include <gtest/gtest.h>

namespace b2w::config {
namespace {

using std::chrono::seconds;

TEST(SportDelays, ParseStrictly) {
  const auto by = parse_delays_by_sport("football:5,tennis:3");
  ASSERT_TRUE(by);
  EXPECT_EQ(by->size(), 2u);
  EXPECT_EQ(by->at("football"), seconds(5));
  EXPECT_EQ(by->at("tennis"), seconds(3));
  EXPECT_EQ(parse_delays_by_sport("")->size(), 0u);
  EXPECT_EQ(parse_delays_by_sport("darts:0")->at("darts"), seconds(0));
  for (const char* bad : {"football", "football:", ":5", "football:x", "football:-1", "football:61", "football:5,",
                          "football:5,football:3", "football:5 ", ",football:5"})
    EXPECT_EQ(parse_delays_by_sport(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace b2w::config
