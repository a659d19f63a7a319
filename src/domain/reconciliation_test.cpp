#include "domain/reconciliation.hpp"

#include <gtest/gtest.h>

#include "util/time.hpp"

using namespace b2w::domain;

namespace {

std::int64_t at(const char* rfc3339) {
  return *b2w::parse_rfc3339(rfc3339);
}

const LagosDay kDay = lagos_day(CalendarDate{2026, 11, 25});  // 2026-11-24T23:00Z to 2026-11-25T23:00Z

ReconciledPayment deposit(const std::string& ref, std::int64_t amount, const char* when,
                          PaymentStatus status = PaymentStatus::completed) {
  ReconciledPayment p;
  p.id = "pay_" + ref;
  p.kind = PaymentKind::deposit;
  p.reference = ref;
  p.amount = amount;
  p.status = status;
  p.status_at = at(when);
  p.clearing_sum = status == PaymentStatus::completed ? -amount : 0;
  p.clearing_entries = status == PaymentStatus::completed ? 1 : 0;
  return p;
}

ReconciledPayment withdrawal(const std::string& ref, std::int64_t amount, const char* when,
                             PaymentStatus status = PaymentStatus::completed) {
  ReconciledPayment p;
  p.id = "pay_" + ref;
  p.kind = PaymentKind::withdrawal;
  p.reference = ref;
  p.amount = amount;
  p.status = status;
  p.status_at = at(when);
  p.clearing_sum = status == PaymentStatus::completed ? amount : 0;
  p.clearing_entries = status == PaymentStatus::completed ? 1 : 0;
  return p;
}

ProviderRecord transaction(const std::string& ref, std::int64_t amount, const char* paid_at,
                           const std::string& status = "success") {
  return ProviderRecord{PaymentKind::deposit, ref, status, amount, "NGN", at(paid_at)};
}

ProviderRecord transfer(const std::string& ref, std::int64_t amount, const char* updated_at,
                        const std::string& status = "success") {
  return ProviderRecord{PaymentKind::withdrawal, ref, status, amount, "NGN", at(updated_at)};
}

std::vector<std::pair<std::string, std::string>> kinds(const ReconciliationReport& r) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& m : r.mismatches) out.emplace_back(std::string(to_string(m.kind)), m.reference);
  return out;
}

using Kinds = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST(LagosDay, RunsFrom2300UtcTheDayBeforeFor24Hours) {
  EXPECT_EQ(kDay.start, at("2026-11-24T23:00:00Z"));
  EXPECT_EQ(kDay.end, at("2026-11-25T23:00:00Z"));
  EXPECT_TRUE(kDay.contains(at("2026-11-24T23:30:00Z")));  // 00:30 in Lagos on the 25th
  EXPECT_FALSE(kDay.contains(at("2026-11-24T22:59:59.999Z")));
  EXPECT_FALSE(kDay.contains(at("2026-11-25T23:00:00Z")));
  const auto new_year = lagos_day(CalendarDate{2027, 1, 1});
  EXPECT_EQ(new_year.start, at("2026-12-31T23:00:00Z"));
  const auto leap = lagos_day(CalendarDate{2028, 2, 29});
  EXPECT_EQ(leap.end - leap.start, 24LL * 3600 * 1'000'000);
  EXPECT_EQ(leap.start, at("2028-02-28T23:00:00Z"));
}

TEST(SettlesOn, FinalStatusesWithinTheDayOnly) {
  EXPECT_TRUE(settles_on(deposit("a", 100, "2026-11-25T10:00:00Z"), kDay));
  EXPECT_FALSE(settles_on(deposit("a", 100, "2026-11-25T10:00:00Z", PaymentStatus::failed), kDay));
  EXPECT_FALSE(settles_on(deposit("a", 100, "2026-11-25T10:00:00Z", PaymentStatus::pending), kDay));
  EXPECT_FALSE(settles_on(deposit("a", 100, "2026-11-25T23:00:00Z"), kDay));
  for (auto s : {PaymentStatus::completed, PaymentStatus::failed, PaymentStatus::reversed})
    EXPECT_TRUE(settles_on(withdrawal("w", 100, "2026-11-25T10:00:00Z", s), kDay));
  for (auto s : {PaymentStatus::pending, PaymentStatus::awaiting_review, PaymentStatus::rejected})
    EXPECT_FALSE(settles_on(withdrawal("w", 100, "2026-11-25T10:00:00Z", s), kDay));
}

TEST(Reconcile, ACleanDayHasNoMismatchAndTotalsPerSide) {
  const std::vector<ReconciledPayment> ours{deposit("d1", 10000, "2026-11-25T08:00:00Z"),
                                            deposit("d2", 25000, "2026-11-24T23:30:00Z"),
                                            withdrawal("w1", 5000, "2026-11-25T12:00:00Z"),
                                            withdrawal("w2", 7000, "2026-11-25T13:00:00Z", PaymentStatus::failed),
                                            withdrawal("w3", 9000, "2026-11-25T14:00:00Z", PaymentStatus::reversed)};
  const std::vector<ProviderRecord> theirs{
      transaction("d1", 10000, "2026-11-25T07:59:58Z"), transaction("d2", 25000, "2026-11-24T23:29:00Z"),
      transfer("w1", 5000, "2026-11-25T11:59:00Z"), transfer("w2", 7000, "2026-11-25T12:59:00Z", "failed"),
      transfer("w3", 9000, "2026-11-25T13:59:00Z", "reversed"),
      // Fetched with the margin around the day; another day's, matched to nothing of ours: not counted.
      transaction("earlier", 500, "2026-11-24T22:30:00Z"), transfer("later", 500, "2026-11-25T23:30:00Z")};
  std::vector<ClearingPosting> postings{{"deposit:pay_d1", "pay_d1", -10000},
                                        {"deposit:pay_d2", "pay_d2", -25000},
                                        {"withdrawal-settle:pay_w1", "pay_w1", 5000}};
  const auto r = reconcile(kDay, ours, theirs, postings);
  EXPECT_TRUE(r.clean()) << r.mismatches.front().detail;
  EXPECT_TRUE(r.different_day.empty());
  EXPECT_EQ(r.ours.deposits, 2);
  EXPECT_EQ(r.ours.deposits_kobo, 35000);
  EXPECT_EQ(r.ours.withdrawals, 1);
  EXPECT_EQ(r.ours.withdrawals_kobo, 5000);
  EXPECT_EQ(r.paystack.deposits, 2);
  EXPECT_EQ(r.paystack.deposits_kobo, 35000);
  EXPECT_EQ(r.paystack.withdrawals, 1);
  EXPECT_EQ(r.paystack.withdrawals_kobo, 5000);
}

TEST(Reconcile, AnEmptyDayIsClean) {
  const auto r = reconcile(kDay, {}, {}, {});
  EXPECT_TRUE(r.clean());
  EXPECT_EQ(r.ours.deposits + r.paystack.deposits + r.ours.withdrawals + r.paystack.withdrawals, 0);
}

TEST(Reconcile, MissingAtPaystack) {
  const std::vector<ReconciledPayment> ours{deposit("d1", 10000, "2026-11-25T08:00:00Z"),
                                            withdrawal("w1", 5000, "2026-11-25T09:00:00Z"),
                                            withdrawal("w2", 5000, "2026-11-25T09:00:00Z", PaymentStatus::reversed)};
  EXPECT_EQ(kinds(reconcile(kDay, ours, {}, {})),
            (Kinds{{"missing_at_paystack", "d1"}, {"missing_at_paystack", "w1"}, {"missing_at_paystack", "w2"}}));
  // Paystack's verify answer for a deposit it lists no success for: still abandoned there.
  EXPECT_EQ(kinds(reconcile(kDay, {ours[0]}, {transaction("d1", 10000, "2026-11-25T08:00:00Z", "abandoned")}, {})),
            (Kinds{{"missing_at_paystack", "d1"}}));
}

TEST(Reconcile, AFailedWithdrawalPaystackNeverSawIsNoMismatch) {
  const auto r = reconcile(kDay, {withdrawal("w", 5000, "2026-11-25T09:00:00Z", PaymentStatus::failed)}, {}, {});
  EXPECT_TRUE(r.clean());
}

TEST(Reconcile, MissingHereUnknownOrNotCompleted) {
  const std::vector<ReconciledPayment> ours{
      deposit("pending", 10000, "2026-11-25T08:00:00Z", PaymentStatus::pending),
      deposit("failed", 10000, "2026-11-25T08:00:00Z", PaymentStatus::failed),
      withdrawal("wpending", 3000, "2026-11-25T08:00:00Z", PaymentStatus::pending)};
  const std::vector<ProviderRecord> theirs{
      transaction("unknown", 4000, "2026-11-25T10:00:00Z"), transaction("pending", 10000, "2026-11-25T10:00:00Z"),
      transaction("failed", 10000, "2026-11-25T10:00:00Z"), transfer("wpending", 3000, "2026-11-25T10:00:00Z"),
      transfer("wunknown", 3000, "2026-11-25T10:00:00Z", "failed")};
  const auto r = reconcile(kDay, ours, theirs, {});
  EXPECT_EQ(kinds(r), (Kinds{{"missing_here", "failed"},
                             {"missing_here", "pending"},
                             {"missing_here", "unknown"},
                             {"missing_here", "wpending"},
                             {"missing_here", "wunknown"}}));
  EXPECT_EQ(r.paystack.deposits, 3);
  EXPECT_EQ(r.paystack.deposits_kobo, 24000);
  EXPECT_EQ(r.paystack.withdrawals, 1);
}

TEST(Reconcile, AmountCurrencyAndStatusDiffer) {
  const std::vector<ReconciledPayment> ours{deposit("amount", 10000, "2026-11-25T08:00:00Z"),
                                            deposit("currency", 10000, "2026-11-25T08:00:00Z"),
                                            deposit("reversed", 10000, "2026-11-25T08:00:00Z"),
                                            withdrawal("wstatus", 5000, "2026-11-25T09:00:00Z"),
                                            withdrawal("wpending", 5000, "2026-11-25T09:00:00Z", PaymentStatus::failed),
                                            withdrawal("wnoamount", 5000, "2026-11-25T09:00:00Z")};
  auto currency = transaction("currency", 10000, "2026-11-25T08:00:00Z");
  currency.currency = "GHS";
  auto no_amount = transfer("wnoamount", 5000, "2026-11-25T09:00:00Z");
  no_amount.amount.reset();
  const std::vector<ProviderRecord> theirs{transaction("amount", 9999, "2026-11-25T08:00:00Z"),
                                           currency,
                                           transaction("reversed", 10000, "2026-11-25T08:00:00Z", "reversed"),
                                           transfer("wstatus", 5000, "2026-11-25T09:00:00Z", "reversed"),
                                           transfer("wpending", 5000, "2026-11-25T09:00:00Z", "pending"),
                                           no_amount};
  const auto r = reconcile(kDay, ours, theirs, {});
  EXPECT_EQ(kinds(r), (Kinds{{"amount_differs", "amount"},
                             {"currency_differs", "currency"},
                             {"status_differs", "reversed"},
                             {"amount_differs", "wnoamount"},
                             {"status_differs", "wpending"},
                             {"status_differs", "wstatus"}}));
  EXPECT_NE(r.mismatches[0].detail.find("9999"), std::string::npos);
  EXPECT_NE(r.mismatches[1].detail.find("GHS"), std::string::npos);
  EXPECT_NE(r.mismatches[3].detail.find("none"), std::string::npos);
}

TEST(Reconcile, LedgerDiffersWhenClearingPostingsDoNotMatchTheStatus) {
  auto no_credit = deposit("nocredit", 10000, "2026-11-25T08:00:00Z");
  no_credit.clearing_sum = 0;
  no_credit.clearing_entries = 0;
  auto wrong_amount = withdrawal("wrong", 5000, "2026-11-25T09:00:00Z");
  wrong_amount.clearing_sum = 4000;
  auto settled_but_failed = withdrawal("failedsettled", 5000, "2026-11-25T09:00:00Z", PaymentStatus::failed);
  settled_but_failed.clearing_sum = 5000;
  settled_but_failed.clearing_entries = 1;
  auto reversed_twice = withdrawal("reversedonly", 5000, "2026-11-25T09:00:00Z", PaymentStatus::reversed);
  reversed_twice.clearing_sum = -5000;
  reversed_twice.clearing_entries = 1;
  auto reversed_after_settling = withdrawal("reversedok", 5000, "2026-11-25T09:00:00Z", PaymentStatus::reversed);
  reversed_after_settling.clearing_entries = 2;
  const std::vector<ReconciledPayment> ours{no_credit, wrong_amount, settled_but_failed, reversed_twice,
                                            reversed_after_settling};
  const std::vector<ProviderRecord> theirs{transaction("nocredit", 10000, "2026-11-25T08:00:00Z"),
                                           transfer("wrong", 5000, "2026-11-25T09:00:00Z"),
                                           transfer("failedsettled", 5000, "2026-11-25T09:00:00Z", "failed"),
                                           transfer("reversedonly", 5000, "2026-11-25T09:00:00Z", "reversed"),
                                           transfer("reversedok", 5000, "2026-11-25T09:00:00Z", "reversed")};
  EXPECT_EQ(kinds(reconcile(kDay, ours, theirs, {})), (Kinds{{"ledger_differs", "nocredit"},
                                                             {"ledger_differs", "failedsettled"},
                                                             {"ledger_differs", "reversedonly"},
                                                             {"ledger_differs", "wrong"}}));
}

TEST(Reconcile, DayPostingsOfPaymentsThatSettledElsewhereAreExplainedOrReported) {
  // Settled today, reversed tomorrow: today's settlement posting is explained by the later move.
  auto reversed_tomorrow = withdrawal("later", 5000, "2026-11-26T09:00:00Z", PaymentStatus::reversed);
  reversed_tomorrow.clearing_sum.reset();
  // A credit posted today for a deposit we say completed yesterday: unexplained.
  auto yesterday = deposit("yesterday", 1000, "2026-11-24T09:00:00Z");
  yesterday.clearing_sum.reset();
  const std::vector<ClearingPosting> postings{{"withdrawal-settle:pay_later", "pay_later", 5000},
                                              {"deposit:pay_yesterday", "pay_yesterday", -1000},
                                              {"deposit:pay_ghost", "pay_ghost", -700},
                                              {"deposit:pay_ghost", "pay_ghost", -700}};
  const std::vector<ProviderRecord> theirs{transfer("later", 5000, "2026-11-26T09:00:00Z", "reversed"),
                                           transaction("yesterday", 1000, "2026-11-24T09:00:00Z")};
  EXPECT_EQ(kinds(reconcile(kDay, {reversed_tomorrow, yesterday}, theirs, postings)),
            (Kinds{{"ledger_differs", "yesterday"}, {"ledger_differs", "deposit:pay_ghost"}}));
}

TEST(Reconcile, APaymentSettledAcrossMidnightIsADifferentDayNotAMismatch) {
  // Paystack paid at 23:58 Lagos on the 25th; the webhook came at 00:02 on the 26th.
  const auto ours = deposit("midnight", 10000, "2026-11-25T23:02:00Z");
  const auto theirs = transaction("midnight", 10000, "2026-11-25T22:58:00Z");
  const auto on_25th = reconcile(kDay, {ours}, {theirs}, {});
  EXPECT_TRUE(on_25th.clean());
  ASSERT_EQ(on_25th.different_day.size(), 1u);
  EXPECT_EQ(on_25th.different_day[0].reference, "midnight");
  EXPECT_EQ(on_25th.paystack.deposits, 1);
  EXPECT_EQ(on_25th.ours.deposits, 0);
  const auto on_26th = reconcile(lagos_day(CalendarDate{2026, 11, 26}), {ours}, {theirs}, {});
  EXPECT_TRUE(on_26th.clean());
  ASSERT_EQ(on_26th.different_day.size(), 1u);
  EXPECT_EQ(on_26th.ours.deposits, 1);
  EXPECT_EQ(on_26th.paystack.deposits, 0);
  // Found only by reference (verify: no settlement time): also a different day, not a mismatch.
  auto verified = theirs;
  verified.settled_at.reset();
  const auto by_reference = reconcile(lagos_day(CalendarDate{2026, 11, 26}), {ours}, {verified}, {});
  EXPECT_TRUE(by_reference.clean());
  ASSERT_EQ(by_reference.different_day.size(), 1u);
  EXPECT_FALSE(by_reference.different_day[0].their_at.has_value());
}

TEST(Reconcile, PaystackRowsInTheMarginButNotOnTheDayAreOnlyMatched) {
  // Paystack says success on the 24th and we never completed it: that is the 24th's report, not the 25th's.
  const auto r = reconcile(kDay, {deposit("old", 100, "2026-11-24T10:00:00Z", PaymentStatus::pending)},
                           {transaction("old", 100, "2026-11-24T10:00:00Z")}, {});
  EXPECT_TRUE(r.clean());
  EXPECT_EQ(r.paystack.deposits, 0);
}

TEST(Reconcile, MismatchKindsHaveStableNames) {
  EXPECT_EQ(to_string(MismatchKind::missing_at_paystack), "missing_at_paystack");
  EXPECT_EQ(to_string(MismatchKind::missing_here), "missing_here");
  EXPECT_EQ(to_string(MismatchKind::amount_differs), "amount_differs");
  EXPECT_EQ(to_string(MismatchKind::currency_differs), "currency_differs");
  EXPECT_EQ(to_string(MismatchKind::status_differs), "status_differs");
  EXPECT_EQ(to_string(MismatchKind::ledger_differs), "ledger_differs");
  EXPECT_EQ(expected_provider_status(PaymentStatus::completed), "success");
  EXPECT_EQ(expected_provider_status(PaymentStatus::failed), "failed");
  EXPECT_EQ(expected_provider_status(PaymentStatus::reversed), "reversed");
}
