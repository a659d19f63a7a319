// The database's own guards on money states (conditional writes, one closing of a hold) and `ledger verify`'s
// cross-check of every payment's and bet's status against its postings, on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include "store/bet_postings.hpp"
#include "store/db/migrations.hpp"
#include "store/ledger.hpp"
#include "store/payments.hpp"
#include "store/users.hpp"
#include "store_fixture.hpp"

using namespace b2w;
using namespace b2w::test;
using domain::PaymentKind;
using domain::PaymentPosting;
using domain::PaymentStatus;
using store::Awaitable;
using store::LedgerRepository;
using store::Payment;
using store::PaymentRepository;
using store::Tx;

namespace {

class MoneyStates : public StoreWithUser {
 protected:
  void SetUp() override {
    StoreWithUser::SetUp();
    // Money in the wallet, as a credited deposit would leave it.
    auto funding = payment("dep_fund", PaymentKind::deposit, 1'000'000, PaymentStatus::completed);
    insert(funding);
    post(store::payment_transfer(PaymentPosting::deposit_credit, funding));
  }

  Payment payment(const std::string& id, PaymentKind kind, std::int64_t amount, PaymentStatus status) {
    Payment p;
    p.id = id;
    p.user_id = user_;
    p.kind = kind;
    p.reference = "ref-" + id;
    p.amount = amount;
    p.status = status;
    p.created_at = p.updated_at = store::now_micros();
    return p;
  }
  void insert(const Payment& p) {
    ASSERT_TRUE(run_sync(
        transaction(*db_, [&](Tx& tx) -> Awaitable<bool> { co_return co_await PaymentRepository::insert(tx, p); })));
  }
  bool post(const store::LedgerTransfer& t) {
    return run_sync(
        transaction(*db_, [&](Tx& tx) -> Awaitable<bool> { co_return co_await LedgerRepository::post(tx, t); }));
  }
  void sql(const std::string& statement) { run_sync(db_->query(statement)); }
  std::string status_of(const std::string& id) {
    return run_sync(db_->query("SELECT status FROM payments WHERE id = $1", id)).one().str(0);
  }
  std::vector<std::string> verify() { return run_sync(LedgerRepository(*db_).verify()); }
  // The problems that name `what`.
  int problems_naming(const std::vector<std::string>& problems, const std::string& what) {
    int n = 0;
    for (const auto& p : problems) n += p.find(what) != std::string::npos;
    return n;
  }
};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, MoneyStates, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(MoneyStates, AConditionalMoveFromAnotherStatusRollsTheWholeTransactionBack) {
  auto w = payment("wd_1", PaymentKind::withdrawal, 5000, PaymentStatus::pending);
  insert(w);
  // The move travels with the COMMIT (PostgreSQL's pipeline): the server itself must refuse to commit.
  EXPECT_THROW(run_sync(transaction(*db_,
                                    [&](Tx& tx) -> Awaitable<void> {
                                      co_await PaymentRepository::set_checkout_url(tx, w.id, "https://changed");
                                      co_await PaymentRepository::move(tx, w.id, PaymentStatus::awaiting_review,
                                                                       PaymentStatus::pending, std::nullopt);
                                    })),
               store::UnexpectedRowCount);
  EXPECT_EQ(status_of(w.id), "pending");
  EXPECT_TRUE(run_sync(db_->query("SELECT checkout_url FROM payments WHERE id = $1", w.id)).one().is_null(0))
      << "the transaction's other writes were kept";
  // From the status it is in, the move happens.
  run_sync(transaction(*db_, [&](Tx& tx) -> Awaitable<void> {
    co_await PaymentRepository::move(tx, w.id, PaymentStatus::pending, PaymentStatus::failed, std::string("why"));
  }));
  EXPECT_EQ(status_of(w.id), "failed");
}

TEST_P(MoneyStates, AHoldIsReleasedOnceByAReturnOrASettlementNeverBoth) {
  auto w = payment("wd_1", PaymentKind::withdrawal, 5000, PaymentStatus::pending);
  insert(w);
  ASSERT_TRUE(post(store::payment_transfer(PaymentPosting::withdrawal_hold, w)));
  ASSERT_TRUE(post(store::payment_transfer(PaymentPosting::withdrawal_return, w)));
  EXPECT_THROW(post(store::payment_transfer(PaymentPosting::withdrawal_settle, w)), store::ConstraintViolation);
  EXPECT_FALSE(post(store::payment_transfer(PaymentPosting::withdrawal_return, w))) << "a repeat is a no-op";
  const auto b = run_sync(LedgerRepository(*db_).balances(user_));
  EXPECT_EQ(b.balance, 1'000'000);
  EXPECT_EQ(b.pending_withdrawals, 0);
}

TEST_P(MoneyStates, VerifyPassesWhenEveryStatusMatchesItsPostings) {
  auto held = payment("wd_held", PaymentKind::withdrawal, 5000, PaymentStatus::awaiting_review);
  auto paid = payment("wd_paid", PaymentKind::withdrawal, 7000, PaymentStatus::completed);
  auto back = payment("wd_back", PaymentKind::withdrawal, 3000, PaymentStatus::reversed);
  auto open = payment("dep_open", PaymentKind::deposit, 9000, PaymentStatus::pending);
  for (const auto& p : {held, paid, back, open}) insert(p);
  for (const auto& p : {held, paid, back}) post(store::payment_transfer(PaymentPosting::withdrawal_hold, p));
  post(store::payment_transfer(PaymentPosting::withdrawal_settle, paid));
  post(store::payment_transfer(PaymentPosting::withdrawal_settle, back));
  post(store::payment_transfer(PaymentPosting::withdrawal_reversal, back));
  sql("INSERT INTO bets (id, user_id, idempotency_key, request_hash, stake, total_odds, potential_payout, status,"
      " created_at) VALUES ('bet_1', '" +
      user_ + "', 'k1', 'h', 1000, '2.00', 2000, 'open', 1)");
  post(store::bet_stake_transfer("bet_1", user_, 1000));
  // In play: one pending (its stake only), one rejected (its stake returned).
  sql("INSERT INTO bets (id, user_id, idempotency_key, request_hash, stake, total_odds, potential_payout, status,"
      " created_at, accept_at) VALUES ('bet_pending', '" +
      user_ + "', 'k2', 'h', 1500, '2.00', 3000, 'pending', 1, 2)");
  post(store::bet_stake_transfer("bet_pending", user_, 1500));
  sql("INSERT INTO bets (id, user_id, idempotency_key, request_hash, stake, total_odds, potential_payout, status,"
      " created_at, accept_at, reject_reason) VALUES ('bet_rejected', '" +
      user_ + "', 'k3', 'h', 2000, '2.00', 4000, 'rejected', 1, 2, 'odds_changed')");
  post(store::bet_stake_transfer("bet_rejected", user_, 2000));
  post(store::bet_closing_transfer("bet_rejected", user_, 2000, domain::BetStatus::rejected, 0));
  const auto problems = verify();
  EXPECT_TRUE(problems.empty()) << problems.front();
}

TEST_P(MoneyStates, VerifyNamesEachPaymentAndBetWhoseStatusDisagreesWithItsPostings) {
  // A withdrawal marked completed without its settlement, one returned and settled (only possible by
  // hand now), a deposit completed without credit, one credited but pending, a hold of another amount.
  auto unsettled = payment("wd_unsettled", PaymentKind::withdrawal, 5000, PaymentStatus::pending);
  auto uncredited = payment("dep_uncredited", PaymentKind::deposit, 9000, PaymentStatus::pending);
  auto credited = payment("dep_credited", PaymentKind::deposit, 4000, PaymentStatus::completed);
  auto resized = payment("wd_resized", PaymentKind::withdrawal, 2500, PaymentStatus::pending);
  for (const auto& p : {unsettled, uncredited, credited, resized}) insert(p);
  post(store::payment_transfer(PaymentPosting::withdrawal_hold, unsettled));
  post(store::payment_transfer(PaymentPosting::deposit_credit, credited));
  post(store::payment_transfer(PaymentPosting::withdrawal_hold, resized));
  ASSERT_TRUE(verify().empty());
  sql("UPDATE payments SET status = 'completed' WHERE id IN ('wd_unsettled', 'dep_uncredited')");
  sql("UPDATE payments SET status = 'pending' WHERE id = 'dep_credited'");
  sql("UPDATE payments SET amount = 2600 WHERE id = 'wd_resized'");
  // A bet settled as won whose ledger only staked it.
  sql("INSERT INTO bets (id, user_id, idempotency_key, request_hash, stake, total_odds, potential_payout, status,"
      " payout, created_at) VALUES ('bet_won', '" +
      user_ + "', 'k1', 'h', 1000, '2.00', 2000, 'won', 2000, 1)");
  post(store::bet_stake_transfer("bet_won", user_, 1000));
  // A bet marked rejected whose stake was never returned, and a pending one already refunded.
  sql("INSERT INTO bets (id, user_id, idempotency_key, request_hash, stake, total_odds, potential_payout, status,"
      " created_at) VALUES ('bet_unreturned', '" +
      user_ + "', 'k2', 'h', 1000, '2.00', 2000, 'rejected', 1)");
  post(store::bet_stake_transfer("bet_unreturned", user_, 1000));
  sql("INSERT INTO bets (id, user_id, idempotency_key, request_hash, stake, total_odds, potential_payout, status,"
      " created_at) VALUES ('bet_refunded', '" +
      user_ + "', 'k3', 'h', 1000, '2.00', 2000, 'pending', 1)");
  post(store::bet_stake_transfer("bet_refunded", user_, 1000));
  post(store::bet_closing_transfer("bet_refunded", user_, 1000, domain::BetStatus::rejected, 0));
  // A posting for a payment that does not exist.
  auto ghost = payment("dep_ghost", PaymentKind::deposit, 100, PaymentStatus::completed);
  post(store::payment_transfer(PaymentPosting::deposit_credit, ghost));

  const auto problems = verify();
  std::string all;
  for (const auto& p : problems) all += p + "\n";
  EXPECT_GE(problems_naming(problems, "withdrawal wd_unsettled is completed"), 1) << all;
  EXPECT_GE(problems_naming(problems, "deposit dep_uncredited is completed"), 1) << all;
  EXPECT_GE(problems_naming(problems, "deposit dep_credited is pending"), 1) << all;
  EXPECT_GE(problems_naming(problems, "withdrawal-hold:wd_resized does not move"), 1) << all;
  EXPECT_GE(problems_naming(problems, "bet bet_won is won"), 1) << all;
  EXPECT_GE(problems_naming(problems, "deposit:dep_ghost names no payment"), 1) << all;
  EXPECT_GE(problems_naming(problems, "but its open withdrawals hold"), 1) << all;
  EXPECT_GE(problems_naming(problems, "bet bet_unreturned is rejected"), 1) << all;
  EXPECT_GE(problems_naming(problems, "bet bet_refunded is pending"), 1) << all;
  EXPECT_GE(problems_naming(problems, "but its open and pending bets stake"), 1) << all;
}
