#include "domain/casino_states.hpp"

#include <gtest/gtest.h>

using namespace b2w::domain;
using P = CasinoPosting;
using S = CasinoTxStatus;

TEST(CasinoStates, EachStatusImpliesItsPostings) {
  const auto& debit = casino_transitions(CasinoTxKind::debit);
  EXPECT_TRUE(debit.consistent(S::debited, {P::stake}));
  EXPECT_TRUE(debit.consistent(S::rolled_back, {P::stake, P::stake_return}));
  EXPECT_TRUE(debit.consistent(S::voided, {}));
  EXPECT_TRUE(debit.consistent(S::noted, {}));
  EXPECT_FALSE(debit.consistent(S::debited, {}));
  EXPECT_FALSE(debit.consistent(S::debited, {P::stake, P::stake_return}));
  EXPECT_FALSE(debit.consistent(S::rolled_back, {P::stake_return}));
  EXPECT_FALSE(debit.consistent(S::debited, {P::win}));
  EXPECT_FALSE(debit.consistent(S::voided, {P::stake}));

  const auto& credit = casino_transitions(CasinoTxKind::credit);
  EXPECT_TRUE(credit.consistent(S::credited, {P::win}));
  EXPECT_TRUE(credit.consistent(S::rolled_back, {P::win, P::win_return}));
  EXPECT_TRUE(credit.consistent(S::noted, {}));
  EXPECT_FALSE(credit.consistent(S::credited, {P::stake}));
  EXPECT_FALSE(credit.consistent(S::rolled_back, {P::win}));
}

TEST(CasinoStates, OnlyAcceptedTransactionsRollBackAndOnlyOnce) {
  for (auto kind : {CasinoTxKind::debit, CasinoTxKind::credit}) {
    const auto& table = casino_transitions(kind);
    for (auto from : {S::rolled_back, S::voided, S::noted}) EXPECT_EQ(table.find(from, CasinoEvent::rollback), nullptr);
    EXPECT_EQ(table.find(std::nullopt, CasinoEvent::rollback), nullptr);
  }
  EXPECT_EQ(casino_transitions(CasinoTxKind::debit).find(S::debited, CasinoEvent::rollback)->posting, P::stake_return);
  EXPECT_EQ(casino_transitions(CasinoTxKind::credit).find(S::credited, CasinoEvent::rollback)->posting, P::win_return);
  EXPECT_EQ(casino_transitions(CasinoTxKind::debit).find(std::nullopt, CasinoEvent::credit_accepted), nullptr);
}

TEST(CasinoStates, NamesAndLedgerIdsRoundTrip) {
  for (auto s : {S::debited, S::credited, S::rolled_back, S::voided, S::noted})
    EXPECT_EQ(parse_casino_tx_status(to_string(s)), s);
  EXPECT_FALSE(parse_casino_tx_status("open").has_value());
  for (auto p : {P::stake, P::stake_return, P::win, P::win_return})
    EXPECT_EQ(parse_casino_ledger_id(casino_ledger_id(p, "fundist", "T:1")), p);
  EXPECT_EQ(casino_ledger_id(P::stake, "fundist", "T1"), "casino-stake:fundist:T1");
  EXPECT_FALSE(parse_casino_ledger_id("stake:bet_1").has_value());
  EXPECT_FALSE(parse_casino_ledger_id("casino").has_value());
}
