#include "domain/live_betting.hpp"

#include <gtest/gtest.h>

#include "domain/bet_states.hpp"

namespace b2w::domain {
namespace {

using S = BetStatus;
using E = BetEvent;
using P = BetPosting;
using std::chrono::seconds;

constexpr std::array kStatuses{S::open, S::won, S::lost, S::void_, S::pending, S::rejected};
constexpr std::array kEvents{E::placed, E::placed_in_play, E::accepted, E::rejected, E::won, E::lost, E::voided};

struct Expected {
  std::optional<S> from;
  E event;
  S to;
  std::optional<P> posting;
};

// Every (status, event) pair, creation included: exactly these moves exist.
TEST(BetStates, EveryStatusAndEventPairIsAllowedOnlyAsListed) {
  const std::vector<Expected> allowed{
      {std::nullopt, E::placed, S::open, P::stake},
      {std::nullopt, E::placed_in_play, S::pending, P::stake},
      {S::pending, E::accepted, S::open, std::nullopt},
      {S::pending, E::rejected, S::rejected, P::rejection},
      {S::open, E::won, S::won, P::payout},
      {S::open, E::lost, S::lost, P::loss},
      {S::open, E::voided, S::void_, P::refund},
  };
  std::vector<std::optional<S>> froms{std::nullopt};
  for (auto s : kStatuses) froms.emplace_back(s);
  int found = 0;
  for (const auto& from : froms)
    for (auto e : kEvents) {
      const auto* m = bet_transitions().find(from, e);
      const auto it = std::find_if(allowed.begin(), allowed.end(),
                                   [&](const Expected& x) { return x.from == from && x.event == e; });
      if (it == allowed.end()) {
        EXPECT_EQ(m, nullptr) << "from " << (from ? to_string(*from) : "creation") << " event " << static_cast<int>(e);
        continue;
      }
      ASSERT_NE(m, nullptr);
      EXPECT_EQ(m->to, it->to);
      EXPECT_EQ(m->posting, it->posting);
      ++found;
    }
  EXPECT_EQ(found, static_cast<int>(allowed.size()));
  EXPECT_EQ(bet_transitions().moves().size(), allowed.size());
}

TEST(BetStates, APendingBetHoldsOnlyItsStakeAndARejectedOneHasItReturned) {
  using Sets = std::vector<std::vector<P>>;
  const auto& t = bet_transitions();
  EXPECT_EQ(t.posting_sets(S::pending), (Sets{{P::stake}}));
  EXPECT_EQ(t.posting_sets(S::rejected), (Sets{{P::stake, P::rejection}}));
  // Accepted bets settle exactly like prematch ones: no posting of their own.
  EXPECT_EQ(t.posting_sets(S::open), (Sets{{P::stake}}));
  EXPECT_TRUE(t.consistent(S::rejected, {P::rejection, P::stake}));
  EXPECT_FALSE(t.consistent(S::rejected, {P::stake}));
  EXPECT_FALSE(t.consistent(S::pending, {P::stake, P::refund}));
  EXPECT_FALSE(t.consistent(S::rejected, {P::stake, P::refund}));
  EXPECT_EQ(ledger_kind(P::rejection), "bet_rejected");
  EXPECT_EQ(parse_bet_ledger_kind("bet_rejected"), P::rejection);
  for (auto s : kStatuses) EXPECT_EQ(parse_bet_status(to_string(s)), s);
  EXPECT_EQ(settling_event(S::pending), E::placed);  // not a settlement: nothing moves
  EXPECT_EQ(t.find(S::pending, settling_event(S::won)), nullptr) << "a pending bet is not settled";
}

PendingLeg leg(Odds odds, Odds current, MarketStatus m = MarketStatus::open, EventStatus e = EventStatus::live) {
  return PendingLeg{odds, current, m, e};
}

// Market states x event states x odds moves x policies, against the rule written out.
TEST(LiveBetting, JudgesEveryMarketStateOddsMoveAndPolicy) {
  const std::array markets{MarketStatus::open, MarketStatus::suspended, MarketStatus::settled, MarketStatus::void_};
  const std::array events{EventStatus::scheduled, EventStatus::live, EventStatus::finished, EventStatus::cancelled};
  const std::array currents{Odds{1900}, Odds{2000}, Odds{2100}};  // lower, same, higher than the 2.00 taken
  const std::array policies{OddsChange::none, OddsChange::higher, OddsChange::any};
  for (auto m : markets)
    for (auto e : events)
      for (auto current : currents)
        for (auto policy : policies) {
          const auto got = judge_pending_bet({leg(2000, current, m, e)}, policy);
          const bool closed = m == MarketStatus::settled || m == MarketStatus::void_ || e == EventStatus::finished ||
                              e == EventStatus::cancelled;
          const bool odds_ok =
              current == 2000 || policy == OddsChange::any || (policy == OddsChange::higher && current > 2000);
          SCOPED_TRACE(std::string(to_string(m)) + "/" + std::string(to_string(e)) + "/" + std::to_string(current));
          if (closed) {
            EXPECT_EQ(got.rejected, RejectReason::market_closed);
          } else if (m == MarketStatus::suspended) {
            EXPECT_EQ(got.rejected, RejectReason::market_suspended);
          } else if (!odds_ok) {
            EXPECT_EQ(got.rejected, RejectReason::odds_changed);
          } else {
            EXPECT_EQ(got.rejected, std::nullopt);
            EXPECT_EQ(got.odds, std::vector<Odds>{current});
          }
        }
}

TEST(LiveBetting, AnAccumulatorIsRejectedByItsWorstLegAndTakesEachLegsOdds) {
  EXPECT_EQ(judge_pending_bet({leg(2000, 2000), leg(1500, 1400)}, OddsChange::none).rejected,
            RejectReason::odds_changed);
  EXPECT_EQ(judge_pending_bet({leg(2000, 1000), leg(1500, 1500, MarketStatus::suspended)}, OddsChange::none).rejected,
            RejectReason::market_suspended);
  EXPECT_EQ(judge_pending_bet({leg(2000, 2000, MarketStatus::suspended), leg(1500, 1500, MarketStatus::settled)},
                              OddsChange::none)
                .rejected,
            RejectReason::market_closed);
  const auto ok = judge_pending_bet({leg(2000, 2200), leg(1500, 1500, MarketStatus::open, EventStatus::scheduled)},
                                    OddsChange::higher);
  EXPECT_EQ(ok.rejected, std::nullopt);
  EXPECT_EQ(ok.odds, (std::vector<Odds>{2200, 1500}));
  for (auto r : {RejectReason::market_suspended, RejectReason::market_closed, RejectReason::odds_changed})
    EXPECT_EQ(parse_reject_reason(to_string(r)), r);
  EXPECT_EQ(parse_reject_reason("other"), std::nullopt);
}

TEST(LiveBetting, ABetWaitsForTheLongestDelayOfItsLiveLegs) {
  const std::map<std::string, seconds> by{{"football", seconds(5)}, {"tennis", seconds(3)}};
  EXPECT_EQ(acceptance_delay({"tennis"}, seconds(5), by), seconds(3));
  EXPECT_EQ(acceptance_delay({"tennis", "basketball"}, seconds(7), by), seconds(7));
  EXPECT_EQ(acceptance_delay({"tennis", "football"}, seconds(1), by), seconds(5));
  EXPECT_EQ(acceptance_delay({}, seconds(5), by), seconds(0));
}

}  // namespace
}  // namespace b2w::domain
