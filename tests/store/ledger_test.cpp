// The double-entry ledger on both SQL backends: exactly-once posting, no overdraft, exact under concurrency.
#include "store/ledger.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>

#include "store/db/migrations.hpp"
#include "store/payments.hpp"
#include "store/users.hpp"
#include "store_fixture.hpp"

using namespace b2w;
using namespace b2w::test;
using store::Awaitable;
using store::LedgerRepository;
using store::LedgerTransfer;
using store::Tx;

namespace {

class Ledger : public StoreWithUser {
 protected:
  bool post(const LedgerTransfer& t) {
    return run_sync(
        transaction(*db_, [&](Tx& tx) -> Awaitable<bool> { co_return co_await LedgerRepository::post(tx, t); }));
  }
  LedgerTransfer deposit(const std::string& id, domain::Kobo amount) {
    return {id,
            "deposit",
            "ref-" + id,
            {{store::wallet_account(user_), amount}, {store::kPaystackClearingAccount, -amount}}};
  }
  // To the house, not to bets in play: `ledger verify` checks bets in play against the open bets holding it.
  LedgerTransfer spend(const std::string& id, domain::Kobo amount) {
    return {id, "fee", "fee-" + id, {{store::wallet_account(user_), -amount}, {store::kHouseAccount, amount}}};
  }
  domain::Kobo wallet() { return run_sync(LedgerRepository(*db_).balances(user_)).balance; }
  std::vector<std::string> verify() { return run_sync(LedgerRepository(*db_).verify()); }
};

}  // namespace

TEST_P(Ledger, DepositIsRecordedExactlyOnce) {
  EXPECT_TRUE(post(deposit("dep_1", 500'000)));
  EXPECT_FALSE(post(deposit("dep_1", 500'000))) << "the same transfer id must not count twice";
  EXPECT_EQ(wallet(), 500'000);
  EXPECT_TRUE(verify().empty());
}

TEST_P(Ledger, EveryPaystackClearingShardTakesPostings) {
  // Payment ids spread over all the shards, each an account that migration 006 created.
  std::map<std::string, int> hits;
  for (int i = 0; i < 3200; ++i) ++hits[store::paystack_clearing_account("pay_" + std::to_string(i))];
  ASSERT_EQ(hits.size(), store::kPaystackClearingShards);
  EXPECT_EQ(hits.count(store::kPaystackClearingAccount), 1u);
  for (const auto& [account, n] : hits) EXPECT_GT(n, 50) << account;  // 100 each if even
  EXPECT_EQ(store::paystack_clearing_account("pay_7"), store::paystack_clearing_account("pay_7"));
  domain::Kobo total = 0;
  int posted = 0;
  for (const auto& [account, n] : hits) {
    const domain::Kobo amount = 1000 + posted;
    ASSERT_TRUE(
        post({"dep_" + account, "deposit", "ref", {{store::wallet_account(user_), amount}, {account, -amount}}}))
        << account;
    total += amount;
    ++posted;
  }
  EXPECT_EQ(wallet(), total);
  EXPECT_TRUE(verify().empty());
}

TEST_P(Ledger, OverdraftIsRefusedAndChangesNothing) {
  post(deposit("dep_1", 1000));
  EXPECT_THROW(post(spend("bet_1", 1001)), store::InsufficientFunds);
  EXPECT_EQ(wallet(), 1000);
  EXPECT_TRUE(post(spend("bet_2", 1000)));
  EXPECT_EQ(wallet(), 0);
  EXPECT_EQ(run_sync(db_->query("SELECT balance FROM ledger_accounts WHERE id = $1", std::string(store::kHouseAccount)))
                .one()
                .i64(0),
            1000);
  EXPECT_TRUE(verify().empty());
}

TEST_P(Ledger, UnbalancedTransfersAreRejected) {
  LedgerTransfer bad{"bad_1", "deposit", "r", {{store::wallet_account(user_), 100}, {store::kHouseAccount, -99}}};
  EXPECT_THROW(post(bad), store::QueryError);
  LedgerTransfer unknown{"bad_2", "deposit", "r", {{"wallet:nobody", 100}, {store::kHouseAccount, -100}}};
  EXPECT_THROW(post(unknown), store::QueryError);
  EXPECT_EQ(run_sync(db_->query("SELECT COUNT(*) FROM ledger_transactions")).one().i64(0), 0);
}

TEST_P(Ledger, ConcurrentSpendsDrainExactlyTheAffordableNumber) {
  post(deposit("dep_1", 10 * 1000));
  std::atomic<int> accepted{0}, refused{0};
  std::vector<std::future<void>> workers;
  for (int t = 0; t < 8; ++t)
    workers.push_back(std::async(std::launch::async, [&, t] {
      for (int i = 0; i < 5; ++i) {
        try {
          post(spend("bet_" + std::to_string(t) + "_" + std::to_string(i), 1000));
          accepted.fetch_add(1);
        } catch (const store::InsufficientFunds&) {
          refused.fetch_add(1);
        }
      }
    }));
  for (auto& w : workers) w.get();
  EXPECT_EQ(accepted.load(), 10);
  EXPECT_EQ(refused.load(), 30);
  EXPECT_EQ(wallet(), 0);
  EXPECT_TRUE(verify().empty());
}

TEST_P(Ledger, TheSameTransferPostedAtOnceFromManyThreadsCountsOnce) {
  // The header insert and the account locks go in one round trip: a second posting of the same id
  // must wait on the first's header and then find it recorded, every round.
  for (int round = 0; round < 5; ++round) {
    const std::string id = "dep_race_" + std::to_string(round);
    std::atomic<int> recorded{0};
    std::vector<std::future<void>> workers;
    for (int t = 0; t < 8; ++t)
      workers.push_back(std::async(std::launch::async, [&] {
        if (post(deposit(id, 700))) recorded.fetch_add(1);
      }));
    for (auto& w : workers) w.get();
    EXPECT_EQ(recorded.load(), 1) << id;
  }
  EXPECT_EQ(wallet(), 5 * 700);
  EXPECT_TRUE(verify().empty());
}

TEST_P(Ledger, HistoryIsNewestFirstWithACursor) {
  for (int i = 0; i < 5; ++i) post(deposit("dep_" + std::to_string(i), 100 * (i + 1)));
  LedgerRepository ledger(*db_);
  auto first = run_sync(ledger.history(store::wallet_account(user_), 3, std::nullopt));
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].transaction_id, "dep_4");
  EXPECT_EQ(first[0].balance_after, 1500);
  EXPECT_EQ(first[0].kind, "deposit");
  auto rest = run_sync(ledger.history(store::wallet_account(user_), 3,
                                      std::make_pair(first.back().created_at, first.back().transaction_id)));
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].transaction_id, "dep_1");
  EXPECT_EQ(rest[1].transaction_id, "dep_0");
  EXPECT_EQ(rest[1].balance_after, 100);
}

TEST_P(Ledger, PostManyIsExactlyOnceWithRunningBalances) {
  std::vector<LedgerTransfer> batch;
  for (int i = 0; i < 1500; ++i) batch.push_back(deposit("dep_" + std::to_string(i), i + 1));  // > one statement's rows
  batch.push_back(deposit("dep_7", 8));  // named twice: recorded once
  const auto posted = run_sync(transaction(
      *db_, [&](Tx& tx) -> Awaitable<std::size_t> { co_return co_await LedgerRepository::post_many(tx, batch); }));
  EXPECT_EQ(posted, 1500u);
  EXPECT_EQ(wallet(), 1500 * 1501 / 2);
  // Every entry's balance_after follows the order the transfers were given.
  auto balance_after = [&](const char* id) {
    return run_sync(db_->query("SELECT balance_after FROM ledger_entries WHERE transaction_id = $1 AND account_id = $2",
                               id, store::wallet_account(user_)))
        .one()
        .i64(0);
  };
  EXPECT_EQ(balance_after("dep_9"), 55);
  EXPECT_EQ(balance_after("dep_1499"), 1500 * 1501 / 2);
  // Again: nothing new.
  EXPECT_EQ(
      run_sync(transaction(
          *db_, [&](Tx& tx) -> Awaitable<std::size_t> { co_return co_await LedgerRepository::post_many(tx, batch); })),
      0u);
  EXPECT_EQ(wallet(), 1500 * 1501 / 2);
  EXPECT_TRUE(verify().empty());
}

TEST_P(Ledger, PostManyRefusesTheWholeBatchOnOneOverdraft) {
  post(deposit("dep_1", 1000));
  std::vector<LedgerTransfer> batch{spend("bet_1", 600), spend("bet_2", 600)};
  EXPECT_THROW(
      run_sync(transaction(
          *db_, [&](Tx& tx) -> Awaitable<std::size_t> { co_return co_await LedgerRepository::post_many(tx, batch); })),
      store::InsufficientFunds);
  EXPECT_EQ(wallet(), 1000);
  EXPECT_TRUE(verify().empty());
}

TEST_P(Ledger, VerifyNamesEveryCorruption) {
  post(deposit("dep_1", 700));
  run_sync(db_->query("UPDATE ledger_accounts SET balance = balance + 5 WHERE id = $1", store::wallet_account(user_)));
  auto problems = verify();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].find(store::wallet_account(user_)), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("created or lost"), std::string::npos) << problems[1];
}

// PostgreSQL keeps no foreign keys on ledger entries (migration 010): verify names what they would have refused.
TEST_P(Ledger, VerifyNamesEntriesWithoutTheirHeaderOrAccount) {
  if (GetParam() != Backend::postgres) GTEST_SKIP() << "SQLite keeps its foreign keys";
  post(deposit("dep_1", 700));
  run_sync(db_->query("DELETE FROM ledger_transactions WHERE id = 'dep_1'"));
  run_sync(
      db_->query("INSERT INTO ledger_entries (transaction_id, seq, account_id, amount, balance_after, created_at)"
                 " VALUES ('ghost', 0, 'nowhere', 5, 5, 1), ('ghost', 1, 'house', -5, -5, 1)"));
  run_sync(
      db_->query("INSERT INTO casino_transactions (aggregator, tid, user_id, kind, subtype, amount, currency,"
                 " round_id, action_id, game, rollback_of, status, created_at, updated_at) VALUES ('fundist',"
                 " 'T1', 'usr_ghost', 'credit', 'credit', 0, 'NGN', 'R1', 'A1', 'g', '', 'noted', 1, 1)"));
  std::string all;
  for (const auto& p : verify()) all += p + "\n";
  EXPECT_NE(all.find("ledger entries of dep_1 have no transaction header"), std::string::npos) << all;
  EXPECT_NE(all.find("casino transaction fundist:T1 names no player (usr_ghost)"), std::string::npos) << all;
  EXPECT_NE(all.find("ledger entries post to nowhere, which is no account"), std::string::npos) << all;
}

INSTANTIATE_TEST_SUITE_P(Backends, Ledger, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(Ledger, PaymentsListFiltersAndPages) {
  store::PaymentRepository payments(*db_);
  for (int i = 0; i < 3; ++i) {
    store::Payment p;
    p.id = "wd_" + std::to_string(i);
    p.user_id = user_;
    p.kind = domain::PaymentKind::withdrawal;
    p.reference = "wd-" + std::to_string(i);
    p.amount = 1000 + i;
    p.status = i == 1 ? domain::PaymentStatus::pending : domain::PaymentStatus::awaiting_review;
    p.account_number = "0123456789";
    p.created_at = p.updated_at = 1000 + i;
    ASSERT_TRUE(run_sync(transaction(
        *db_, [&](Tx& tx) -> Awaitable<bool> { co_return co_await store::PaymentRepository::insert(tx, p); })));
  }
  auto all = run_sync(payments.list(domain::PaymentKind::withdrawal, std::nullopt, 10, std::nullopt));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, "wd_2");
  auto review = run_sync(
      payments.list(domain::PaymentKind::withdrawal, domain::PaymentStatus::awaiting_review, 10, std::nullopt));
  ASSERT_EQ(review.size(), 2u);
  auto page2 = run_sync(payments.list(domain::PaymentKind::withdrawal, std::nullopt, 10,
                                      std::make_pair(std::int64_t{1002}, std::string("wd_2"))));
  ASSERT_EQ(page2.size(), 2u);
  EXPECT_EQ(page2[0].id, "wd_1");
  EXPECT_TRUE(run_sync(payments.list(domain::PaymentKind::deposit, std::nullopt, 10, std::nullopt)).empty());
}
