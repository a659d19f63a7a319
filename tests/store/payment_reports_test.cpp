// The daily reconciliation's reads (store::PaymentReportRepository) on SQLite and PostgreSQL: the payments that
// reached a status within a Lagos day (its boundaries at 23:00 UTC), in batches after a cursor, each with its
// clearing-account postings; payments by reference and id; a clearing shard's entries of a period.
#include "store/payment_reports.hpp"

#include <gtest/gtest.h>

#include "store/ledger.hpp"
#include "store/payments.hpp"
#include "store_fixture.hpp"
#include "util/time.hpp"

using namespace b2w;
using namespace b2w::test;
using domain::PaymentKind;
using domain::PaymentPosting;
using domain::PaymentStatus;
using store::Awaitable;
using store::Payment;
using store::PaymentReportRepository;
using store::Tx;

namespace {

std::int64_t at(const char* text) {
  return *parse_rfc3339(text);
}

class PaymentReports : public StoreWithUser {
 protected:
  Payment add(const std::string& id, PaymentKind kind, PaymentStatus status, std::int64_t updated_at,
              std::int64_t amount = 1000) {
    Payment p;
    p.id = id;
    p.user_id = user_;
    p.kind = kind;
    p.reference = "ref-" + id;
    p.amount = amount;
    p.status = status;
    p.created_at = updated_at - 3'600'000'000LL * 30;  // opened long before: the day follows updated_at
    p.updated_at = updated_at;
    EXPECT_TRUE(run_sync(transaction(
        *db_, [&](Tx& tx) -> Awaitable<bool> { co_return co_await store::PaymentRepository::insert(tx, p); })));
    return p;
  }
  void post(PaymentPosting posting, const Payment& p) {
    const auto transfer = store::payment_transfer(posting, p);
    run_sync(transaction(
        *db_, [&](Tx& tx) -> Awaitable<bool> { co_return co_await store::LedgerRepository::post(tx, transfer); }));
  }
  std::vector<std::string> ids(PaymentKind kind, PaymentStatus status, const domain::LagosDay& day,
                               std::optional<std::pair<std::int64_t, std::string>> after = std::nullopt,
                               int limit = 100) {
    PaymentReportRepository reports(*db_);
    std::vector<std::string> out;
    for (const auto& p : run_sync(reports.settled_between(kind, status, day.start, day.end, std::move(after), limit)))
      out.push_back(p.id);
    return out;
  }
};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, PaymentReports, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(PaymentReports, ADaysSettlementsFollowLagosMidnightAt2300Utc) {
  const auto day = domain::lagos_day(domain::CalendarDate{2026, 11, 25});
  add("dep_before", PaymentKind::deposit, PaymentStatus::completed, at("2026-11-24T22:59:59.999999Z"));
  add("dep_2330", PaymentKind::deposit, PaymentStatus::completed, at("2026-11-24T23:30:00Z"));  // 00:30 on the 25th
  add("dep_last", PaymentKind::deposit, PaymentStatus::completed, at("2026-11-25T22:59:59.999999Z"));
  add("dep_next", PaymentKind::deposit, PaymentStatus::completed, at("2026-11-25T23:00:00Z"));
  add("dep_failed", PaymentKind::deposit, PaymentStatus::failed, at("2026-11-25T10:00:00Z"));
  add("dep_pending", PaymentKind::deposit, PaymentStatus::pending, at("2026-11-25T10:00:00Z"));
  add("wd_done", PaymentKind::withdrawal, PaymentStatus::completed, at("2026-11-25T10:00:00Z"));
  add("wd_failed", PaymentKind::withdrawal, PaymentStatus::failed, at("2026-11-25T11:00:00Z"));
  add("wd_reversed", PaymentKind::withdrawal, PaymentStatus::reversed, at("2026-11-25T12:00:00Z"));

  EXPECT_EQ(ids(PaymentKind::deposit, PaymentStatus::completed, day),
            (std::vector<std::string>{"dep_2330", "dep_last"}));
  EXPECT_EQ(ids(PaymentKind::withdrawal, PaymentStatus::completed, day), (std::vector<std::string>{"wd_done"}));
  EXPECT_EQ(ids(PaymentKind::withdrawal, PaymentStatus::failed, day), (std::vector<std::string>{"wd_failed"}));
  EXPECT_EQ(ids(PaymentKind::withdrawal, PaymentStatus::reversed, day), (std::vector<std::string>{"wd_reversed"}));
  const auto day_before = domain::lagos_day(domain::CalendarDate{2026, 11, 24});
  EXPECT_EQ(ids(PaymentKind::deposit, PaymentStatus::completed, day_before), (std::vector<std::string>{"dep_before"}));
  const auto day_after = domain::lagos_day(domain::CalendarDate{2026, 11, 26});
  EXPECT_EQ(ids(PaymentKind::deposit, PaymentStatus::completed, day_after), (std::vector<std::string>{"dep_next"}));
}

TEST_P(PaymentReports, BatchesFollowTheCursorInUpdatedAtThenIdOrder) {
  const auto day = domain::lagos_day(domain::CalendarDate{2026, 11, 25});
  const auto noon = at("2026-11-25T11:00:00Z");
  add("dep_c", PaymentKind::deposit, PaymentStatus::completed, noon + 2);
  add("dep_b", PaymentKind::deposit, PaymentStatus::completed, noon);
  add("dep_a", PaymentKind::deposit, PaymentStatus::completed, noon);
  EXPECT_EQ(ids(PaymentKind::deposit, PaymentStatus::completed, day, std::nullopt, 2),
            (std::vector<std::string>{"dep_a", "dep_b"}));
  EXPECT_EQ(ids(PaymentKind::deposit, PaymentStatus::completed, day, std::pair{noon, std::string("dep_b")}, 2),
            (std::vector<std::string>{"dep_c"}));
  EXPECT_TRUE(
      ids(PaymentKind::deposit, PaymentStatus::completed, day, std::pair{noon + 2, std::string("dep_c")}, 2).empty());
}

TEST_P(PaymentReports, EachPaymentComesWithItsClearingPostingsAndTheDaysEntriesByShard) {
  const auto now = store::now_micros();
  const auto today = domain::lagos_day(domain::lagos_date(now));
  const auto credited = add("dep_credited", PaymentKind::deposit, PaymentStatus::completed, now, 25000);
  add("dep_uncredited", PaymentKind::deposit, PaymentStatus::completed, now, 5000);
  const auto settled = add("wd_settled", PaymentKind::withdrawal, PaymentStatus::reversed, now, 7000);
  post(PaymentPosting::deposit_credit, credited);
  run_sync(transaction(*db_, [&](Tx& tx) -> Awaitable<bool> {
    co_return co_await store::LedgerRepository::post(
        tx, store::move_money("fund", "deposit", "fund", store::kPaystackClearingAccount, store::wallet_account(user_),
                              50000));
  }));
  post(PaymentPosting::withdrawal_hold, settled);
  post(PaymentPosting::withdrawal_settle, settled);
  post(PaymentPosting::withdrawal_reversal, settled);

  PaymentReportRepository reports(*db_);
  const auto deposits =
      run_sync(reports.settled_between(PaymentKind::deposit, PaymentStatus::completed, today.start, today.end, {}, 10));
  ASSERT_EQ(deposits.size(), 2u);
  for (const auto& p : deposits) {
    if (p.id == "dep_credited") {
      EXPECT_EQ(p.clearing_sum, -25000);  // clearing -> wallet; the wallet's side is not counted
      EXPECT_EQ(p.clearing_entries, 1);
      EXPECT_EQ(p.reference, "ref-dep_credited");
      EXPECT_EQ(p.amount, 25000);
      EXPECT_EQ(p.currency, "NGN");
    } else {
      EXPECT_EQ(p.clearing_sum, 0);
      EXPECT_EQ(p.clearing_entries, 0);
    }
  }
  const auto reversed = run_sync(
      reports.settled_between(PaymentKind::withdrawal, PaymentStatus::reversed, today.start, today.end, {}, 10));
  ASSERT_EQ(reversed.size(), 1u);
  EXPECT_EQ(reversed[0].clearing_sum, 0);  // settled into clearing, then reversed out of it; the hold not counted
  EXPECT_EQ(reversed[0].clearing_entries, 2);

  const auto by_ref = run_sync(reports.by_reference("ref-wd_settled"));
  ASSERT_TRUE(by_ref);
  EXPECT_EQ(by_ref->id, "wd_settled");
  EXPECT_EQ(by_ref->status, PaymentStatus::reversed);
  EXPECT_FALSE(by_ref->clearing_sum.has_value());
  EXPECT_FALSE(run_sync(reports.by_reference("ref-nothing")).has_value());
  EXPECT_EQ(run_sync(reports.by_id("dep_credited"))->reference, "ref-dep_credited");
  EXPECT_FALSE(run_sync(reports.by_id("nothing")).has_value());

  // The clearing shards' entries of today: the credit, the settlement, the reversal and the unrelated funding.
  std::map<std::string, std::int64_t> found;
  for (std::size_t shard = 0; shard < store::kPaystackClearingShards; ++shard)
    for (const auto& e : run_sync(reports.clearing_postings(shard, today.start, today.end)))
      found[e.transaction_id + "|" + e.payment_id] += e.amount;
  EXPECT_EQ(found, (std::map<std::string, std::int64_t>{{"deposit:dep_credited|dep_credited", -25000},
                                                        {"withdrawal-settle:wd_settled|wd_settled", 7000},
                                                        {"withdrawal-reversal:wd_settled|wd_settled", -7000},
                                                        {"fund|", -50000}}));
  const auto tomorrow = domain::lagos_day(domain::lagos_date(today.end));
  for (std::size_t shard = 0; shard < store::kPaystackClearingShards; ++shard)
    EXPECT_TRUE(run_sync(reports.clearing_postings(shard, tomorrow.start, tomorrow.end)).empty());
}
