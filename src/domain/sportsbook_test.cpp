#include "domain/sportsbook.hpp"

#include <gtest/gtest.h>

namespace b2w::domain {
namespace {

TEST(Sportsbook, SportsCatalogue) {
  ASSERT_FALSE(sports().empty());
  EXPECT_EQ(sports().front().key, "football");
  ASSERT_NE(find_sport("basketball"), nullptr);
  EXPECT_EQ(find_sport("basketball")->name, "Basketball");
  EXPECT_EQ(find_sport("Football"), nullptr);
  EXPECT_EQ(find_sport(""), nullptr);
}

TEST(Sportsbook, EventTransitions) {
  EXPECT_TRUE(event_transition_allowed("scheduled", "live"));
  EXPECT_TRUE(event_transition_allowed("scheduled", "cancelled"));
  EXPECT_TRUE(event_transition_allowed("scheduled", "finished"));
  EXPECT_TRUE(event_transition_allowed("live", "finished"));
  EXPECT_TRUE(event_transition_allowed("live", "cancelled"));
  EXPECT_TRUE(event_transition_allowed("live", "live"));
  EXPECT_FALSE(event_transition_allowed("live", "scheduled"));
  EXPECT_FALSE(event_transition_allowed("finished", "live"));
  EXPECT_FALSE(event_transition_allowed("cancelled", "scheduled"));
  EXPECT_FALSE(event_transition_allowed("finished", "cancelled"));
  EXPECT_TRUE(is_event_status("live"));
  EXPECT_FALSE(is_event_status("started"));
}

TEST(Sportsbook, MarketStatuses) {
  for (auto s : {"open", "suspended", "settled", "void"}) EXPECT_TRUE(is_market_status(s));
  EXPECT_FALSE(is_market_status("closed"));
  EXPECT_TRUE(market_is_final("settled"));
  EXPECT_TRUE(market_is_final("void"));
  EXPECT_FALSE(market_is_final("suspended"));
}

TEST(Sportsbook, Names) {
  EXPECT_EQ(clean_name("  Arsenal ", 100), "Arsenal");
  EXPECT_EQ(clean_name("Kano Pillars", 12), "Kano Pillars");
  EXPECT_EQ(clean_name("Kano Pillars", 11), std::nullopt);
  EXPECT_EQ(clean_name("   ", 100), std::nullopt);
  EXPECT_EQ(clean_name("", 100), std::nullopt);
  EXPECT_EQ(clean_name("a\nb", 100), std::nullopt);
  EXPECT_EQ(clean_name("Enyimba F.C.", 100), "Enyimba F.C.");
  EXPECT_EQ(clean_name("\u1eccy\u1ecd Stars", 9), "\u1eccy\u1ecd Stars") << "the limit counts characters (13 bytes here)";
  EXPECT_EQ(clean_name("<img src=x onerror=alert(1)>", 100), std::nullopt);
}

}  // namespace
}  // namespace b2w::domain
