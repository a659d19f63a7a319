#include "domain/sportsbook.hpp"

#include <gtest/gtest.h>

#include <utility>

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
  using E = EventStatus;
  EXPECT_TRUE(event_transition_allowed(E::scheduled, E::live));
  EXPECT_TRUE(event_transition_allowed(E::scheduled, E::cancelled));
  EXPECT_TRUE(event_transition_allowed(E::scheduled, E::finished));
  EXPECT_TRUE(event_transition_allowed(E::live, E::finished));
  EXPECT_TRUE(event_transition_allowed(E::live, E::cancelled));
  EXPECT_TRUE(event_transition_allowed(E::live, E::live));
  EXPECT_TRUE(event_transition_allowed(E::cancelled, E::cancelled)) << "the same status again is a no-op";
  EXPECT_FALSE(event_transition_allowed(E::live, E::scheduled));
  EXPECT_FALSE(event_transition_allowed(E::finished, E::live));
  EXPECT_FALSE(event_transition_allowed(E::cancelled, E::scheduled));
  EXPECT_FALSE(event_transition_allowed(E::finished, E::cancelled));
  EXPECT_FALSE(event_is_over(E::scheduled));
  EXPECT_FALSE(event_is_over(E::live));
  EXPECT_TRUE(event_is_over(E::finished));
  EXPECT_TRUE(event_is_over(E::cancelled));
}

TEST(Sportsbook, EventStatusNames) {
  using E = EventStatus;
  const std::pair<E, const char*> names[] = {
      {E::scheduled, "scheduled"}, {E::live, "live"}, {E::finished, "finished"}, {E::cancelled, "cancelled"}};
  for (const auto& [status, name] : names) {
    EXPECT_EQ(to_string(status), name);
    EXPECT_EQ(parse_event_status(name), status);
  }
  for (auto unknown : {"started", "Live", "LIVE", " live", "live ", "", "canceled", "open"})
    EXPECT_EQ(parse_event_status(unknown), std::nullopt) << unknown;
  EXPECT_EQ(kCurrentEventStatuses[0], E::scheduled);
  EXPECT_EQ(kCurrentEventStatuses[1], E::live);
}

TEST(Sportsbook, MarketStatuses) {
  using M = MarketStatus;
  const std::pair<M, const char*> names[] = {
      {M::open, "open"}, {M::suspended, "suspended"}, {M::settled, "settled"}, {M::void_, "void"}};
  for (const auto& [status, name] : names) {
    EXPECT_EQ(to_string(status), name);
    EXPECT_EQ(parse_market_status(name), status);
  }
  for (auto unknown : {"closed", "Open", "void_", "", "won", "scheduled"})
    EXPECT_EQ(parse_market_status(unknown), std::nullopt) << unknown;
  EXPECT_TRUE(market_is_final(M::settled));
  EXPECT_TRUE(market_is_final(M::void_));
  EXPECT_FALSE(market_is_final(M::open));
  EXPECT_FALSE(market_is_final(M::suspended));
  for (auto s : kUnsettledMarketStatuses) EXPECT_FALSE(market_is_final(s));
}

TEST(Sportsbook, Names) {
  EXPECT_EQ(clean_name("  Arsenal ", 100), "Arsenal");
  EXPECT_EQ(clean_name("Kano Pillars", 12), "Kano Pillars");
  EXPECT_EQ(clean_name("Kano Pillars", 11), std::nullopt);
  EXPECT_EQ(clean_name("   ", 100), std::nullopt);
  EXPECT_EQ(clean_name("", 100), std::nullopt);
  EXPECT_EQ(clean_name("a\nb", 100), std::nullopt);
  EXPECT_EQ(clean_name("Enyimba F.C.", 100), "Enyimba F.C.");
  EXPECT_EQ(clean_name("\u1eccy\u1ecd Stars", 9), "\u1eccy\u1ecd Stars")
      << "the limit counts characters (13 bytes here)";
  EXPECT_EQ(clean_name("<img src=x onerror=alert(1)>", 100), std::nullopt);
}

}  // namespace
}  // namespace b2w::domain
