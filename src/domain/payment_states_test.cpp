#include "domain/payment_states.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "domain/bet_states.hpp"

using namespace b2w::domain;
using S = PaymentStatus;
using E = PaymentEvent;
using P = PaymentPosting;

namespace {

constexpr S kStatuses[] = {S::pending, S::awaiting_review, S::completed, S::failed, S::reversed, S::rejected};
constexpr E kEvents[] = {E::requested,
                         E::requested_for_review,
                         E::checkout_failed,
                         E::checkout_retried,
                         E::charge_succeeded,
                         E::charge_failed,
                         E::expired,
                         E::approved,
                         E::rejected,
                         E::transfer_refused,
                         E::transfer_succeeded,
                         E::transfer_failed,
                         E::transfer_reversed};

// Where each posting moves the payment's amount: (account it leaves, account it reaches).
struct Effect {
  const char* from;
  const char* to;
};
const std::map<P, Effect> kEffects{{P::deposit_credit, {"clearing", "wallet"}},
                                   {P::withdrawal_hold, {"wallet", "pending"}},
                                   {P::withdrawal_return, {"pending", "wallet"}},
                                   {P::withdrawal_settle, {"pending", "clearing"}},
                                   {P::withdrawal_reversal, {"clearing", "wallet"}}};

std::map<std::string, long> balances_after(const std::vector<P>& postings) {
  std::map<std::string, long> b{{"wallet", 0}, {"pending", 0}, {"clearing", 0}};
  for (auto p : postings) {
    b[kEffects.at(p).from] -= 1;
    b[kEffects.at(p).to] += 1;
  }
  return b;
}

}  // namespace

TEST(PaymentStates, EachEventHasAtMostOneMoveFromEachState) {
  for (const auto* table : {&deposit_transitions(), &withdrawal_transitions()})
    for (const auto& a : table->moves())
      for (const auto& b : table->moves())
        if (&a != &b) {
          EXPECT_FALSE(a.from == b.from && a.event == b.event) << to_string(a.event);
        }
}

TEST(PaymentStates, DepositPathsCreditAtMostOnceAndOnlyWhenCompleted) {
  const auto& t = deposit_transitions();
  EXPECT_EQ(t.posting_sets(S::pending), (std::vector<std::vector<P>>{{}}));
  EXPECT_EQ(t.posting_sets(S::failed), (std::vector<std::vector<P>>{{}}));
  EXPECT_EQ(t.posting_sets(S::completed), (std::vector<std::vector<P>>{{P::deposit_credit}}));
  for (auto s : {S::awaiting_review, S::reversed, S::rejected}) EXPECT_TRUE(t.posting_sets(s).empty()) << to_string(s);
  // Completed is final: a repeated charge.success finds no move and credits nothing.
  for (auto e : kEvents) EXPECT_EQ(t.find(S::completed, e), nullptr) << to_string(e);
  ASSERT_NE(t.find(S::failed, E::checkout_retried), nullptr);
  EXPECT_EQ(t.find(S::failed, E::checkout_retried)->to, S::pending);
}

TEST(PaymentStates, WithdrawalHoldIsClosedOnceByAReturnOrASettlementNeverBoth) {
  const auto& t = withdrawal_transitions();
  using Sets = std::vector<std::vector<P>>;
  EXPECT_EQ(t.posting_sets(S::awaiting_review), (Sets{{P::withdrawal_hold}}));
  EXPECT_EQ(t.posting_sets(S::pending), (Sets{{P::withdrawal_hold}}));
  EXPECT_EQ(t.posting_sets(S::rejected), (Sets{{P::withdrawal_hold, P::withdrawal_return}}));
  EXPECT_EQ(t.posting_sets(S::failed), (Sets{{P::withdrawal_hold, P::withdrawal_return}}));
  EXPECT_EQ(t.posting_sets(S::completed), (Sets{{P::withdrawal_hold, P::withdrawal_settle}}));
  EXPECT_EQ(t.posting_sets(S::reversed), (Sets{{P::withdrawal_hold, P::withdrawal_return},
                                               {P::withdrawal_hold, P::withdrawal_settle, P::withdrawal_reversal}}));
  for (auto s : kStatuses)
    for (const auto& set : t.posting_sets(s)) {
      const bool returned = std::count(set.begin(), set.end(), P::withdrawal_return);
      const bool settled = std::count(set.begin(), set.end(), P::withdrawal_settle);
      EXPECT_FALSE(returned && settled) << to_string(s);
    }
}

TEST(PaymentStates, TheReconcilerFailsOrExpiresOnlyPendingDepositsAndALateChargeStillCredits) {
  const auto& t = deposit_transitions();
  for (auto e : {E::charge_failed, E::expired}) {
    ASSERT_NE(t.find(S::pending, e), nullptr) << to_string(e);
    EXPECT_EQ(t.find(S::pending, e)->to, S::failed);
    EXPECT_EQ(t.find(S::pending, e)->posting, std::nullopt);
    for (auto s : kStatuses)
      if (s != S::pending) {
        EXPECT_EQ(t.find(s, e), nullptr) << to_string(e) << " from " << to_string(s);
      }
    // Withdrawals never expire: their money may be on its way to the bank.
    for (auto s : kStatuses) EXPECT_EQ(withdrawal_transitions().find(s, e), nullptr);
  }
  ASSERT_NE(t.find(S::failed, E::charge_succeeded), nullptr);
  EXPECT_EQ(t.find(S::failed, E::charge_succeeded)->posting, P::deposit_credit);
  EXPECT_EQ(to_string(E::charge_failed), "charge_failed");
  EXPECT_EQ(to_string(E::expired), "expired");
}

TEST(PaymentStates, TheFindingsRacesHaveNoMove) {
  const auto& t = withdrawal_transitions();
  // Approve and reject of one withdrawal: whichever commits second finds no move.
  EXPECT_EQ(t.find(S::pending, E::rejected), nullptr);
  EXPECT_EQ(t.find(S::rejected, E::approved), nullptr);
  // A late transfer.success for money already returned, or a settled one "failing" afterwards.
  for (auto s : {S::rejected, S::failed, S::reversed}) EXPECT_EQ(t.find(s, E::transfer_succeeded), nullptr);
  EXPECT_EQ(t.find(S::completed, E::transfer_failed), nullptr);
  // Nothing goes back to review or to pending once the hold is closed.
  for (const auto& m : t.moves())
    if (m.from && (*m.from == S::failed || *m.from == S::rejected || *m.from == S::reversed))
      ADD_FAILURE() << "a move out of a final state: " << to_string(*m.from);
}

TEST(PaymentStates, EveryReachableWithdrawalStateHoldsExactlyWhatItsStatusSays) {
  // The money in each account, in units of the withdrawal's amount, for every path to every status.
  const auto& t = withdrawal_transitions();
  for (auto s : kStatuses)
    for (const auto& set : t.posting_sets(s)) {
      const auto b = balances_after(set);
      const bool held = s == S::pending || s == S::awaiting_review;
      EXPECT_EQ(b.at("pending"), held ? 1 : 0) << to_string(s);
      EXPECT_EQ(b.at("wallet"), s == S::completed || held ? -1 : 0) << to_string(s);
      EXPECT_EQ(b.at("clearing"), s == S::completed ? 1 : 0) << to_string(s);
    }
}

TEST(PaymentStates, ConsistencyIgnoresOrderAndRefusesDuplicatesAndStrangers) {
  const auto& t = withdrawal_transitions();
  EXPECT_TRUE(t.consistent(S::completed, {P::withdrawal_settle, P::withdrawal_hold}));
  EXPECT_FALSE(t.consistent(S::completed, {P::withdrawal_hold}));
  EXPECT_FALSE(t.consistent(S::completed, {P::withdrawal_hold, P::withdrawal_settle, P::withdrawal_settle}));
  EXPECT_FALSE(t.consistent(S::failed, {P::withdrawal_hold, P::withdrawal_return, P::withdrawal_settle}));
  EXPECT_FALSE(t.consistent(S::pending, {}));
  EXPECT_TRUE(deposit_transitions().consistent(S::pending, {}));
  EXPECT_FALSE(deposit_transitions().consistent(S::pending, {P::deposit_credit}));
}

TEST(PaymentStates, NamesRoundTrip) {
  for (auto s : kStatuses) EXPECT_EQ(parse_payment_status(to_string(s)), s);
  EXPECT_EQ(parse_payment_status("PENDING"), std::nullopt);
  EXPECT_EQ(parse_payment_kind("deposit"), PaymentKind::deposit);
  EXPECT_EQ(parse_payment_kind("withdrawal"), PaymentKind::withdrawal);
  EXPECT_EQ(parse_payment_kind("refund"), std::nullopt);
  for (auto p :
       {P::deposit_credit, P::withdrawal_hold, P::withdrawal_return, P::withdrawal_settle, P::withdrawal_reversal}) {
    const auto id = ledger_transaction_id(p, "wd_abc");
    EXPECT_EQ(parse_ledger_transaction_id(id), (std::pair{p, std::string("wd_abc")})) << id;
  }
  EXPECT_EQ(ledger_transaction_id(P::withdrawal_hold, "wd_1"), "withdrawal-hold:wd_1");
  EXPECT_EQ(ledger_transaction_id(P::deposit_credit, "dep_1"), "deposit:dep_1");
  for (const char* other : {"stake:bet_1", "settle:bet_1", "deposit:", "withdrawal-hold", ""})
    EXPECT_EQ(parse_ledger_transaction_id(other), std::nullopt) << other;
}

TEST(BetStates, ABetIsStakedOnceAndClosedOnceByExactlyOneOutcome) {
  const auto& t = bet_transitions();
  using BP = BetPosting;
  using Sets = std::vector<std::vector<BP>>;
  EXPECT_EQ(t.posting_sets(BetStatus::open), (Sets{{BP::stake}}));
  EXPECT_EQ(t.posting_sets(BetStatus::won), (Sets{{BP::stake, BP::payout}}));
  EXPECT_EQ(t.posting_sets(BetStatus::lost), (Sets{{BP::stake, BP::loss}}));
  EXPECT_EQ(t.posting_sets(BetStatus::void_), (Sets{{BP::stake, BP::refund}}));
  for (auto from : {BetStatus::won, BetStatus::lost, BetStatus::void_})
    for (auto e : {BetEvent::placed, BetEvent::won, BetEvent::lost, BetEvent::voided})
      EXPECT_EQ(t.find(from, e), nullptr) << "a settled bet settles again";
  for (auto to : {BetStatus::won, BetStatus::lost, BetStatus::void_}) {
    const auto* m = t.find(BetStatus::open, settling_event(to));
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->to, to);
  }
  EXPECT_EQ(t.find(BetStatus::open, settling_event(BetStatus::open)), nullptr);
  for (auto p : {BP::stake, BP::payout, BP::loss, BP::refund}) EXPECT_EQ(parse_bet_ledger_kind(ledger_kind(p)), p);
  for (auto s : {BetStatus::open, BetStatus::won, BetStatus::lost, BetStatus::void_})
    EXPECT_EQ(parse_bet_status(to_string(s)), s);
}
