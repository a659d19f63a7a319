// store::ReadBatch and the transaction's deferred BEGIN on both SQL backends: each reader gets its own
// statements' results, a failing read fails the whole transaction, and a transaction's first statement
// (which travels with the BEGIN on PostgreSQL) is rolled back with the rest.
#include "store/db/read_batch.hpp"

#include <gtest/gtest.h>

#include "store/ledger.hpp"
#include "store_fixture.hpp"

using namespace b2w;
using namespace b2w::test;
using store::Awaitable;
using store::LedgerRepository;
using store::ReadBatch;
using store::Statement;
using store::Tx;

namespace {

class ReadBatches : public StoreWithUser {
 protected:
  std::int64_t count(const std::string& sql) { return run_sync(db_->query(sql)).one().i64(0); }
  domain::Kobo wallet() { return run_sync(LedgerRepository(*db_).balances(user_)).balance; }
  static std::vector<Statement> one(std::string sql) {
    std::vector<Statement> statements;
    statements.push_back(Statement{std::move(sql), {}});
    return statements;
  }
};

}  // namespace

TEST_P(ReadBatches, EachReaderGetsItsOwnStatementsResultsInOrder) {
  const auto [numbers, word, posted] = run_sync(
      transaction(*db_, [&](Tx& tx) -> Awaitable<std::tuple<std::vector<std::int64_t>, std::string, std::size_t>> {
        ReadBatch reads(tx.dialect());
        std::vector<Statement> two;
        two.push_back(Statement{"SELECT 1", {}});
        two.push_back(Statement{"SELECT 2 UNION ALL SELECT 3", {}});
        const auto numbers = reads.add<std::vector<std::int64_t>>(std::move(two), [](std::span<const store::Result> r) {
          std::vector<std::int64_t> out;
          for (const auto& result : r)
            for (const auto& row : result.rows) out.push_back(row.i64(0));
          return out;
        });
        const auto word = reads.add<std::string>(one("SELECT 'four'"), [](std::span<const store::Result> r) {
          return r.size() == 1 ? r[0].one().str(0) : "";
        });
        std::vector<store::LedgerTransfer> deposit;
        deposit.push_back(store::move_money("dep_batch", "deposit", "ref", store::kPaystackClearingAccount,
                                            store::wallet_account(user_), 2500));
        const auto locks = LedgerRepository::lock_for_post(reads, deposit);
        co_await reads.run(tx);
        const auto posted = co_await LedgerRepository::post_locked(tx, deposit, *locks);
        co_return std::make_tuple(*numbers, *word, posted);
      }));
  EXPECT_EQ(numbers, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(word, "four");
  EXPECT_EQ(posted, 1u);
  EXPECT_EQ(wallet(), 2500);
  EXPECT_TRUE(run_sync(LedgerRepository(*db_).verify()).empty());
}

TEST_P(ReadBatches, AValueTakenBeforeItsBatchRanIsAnError) {
  ReadBatch reads(store::Dialect::sqlite);
  const auto value = reads.add<int>(one("SELECT 1"), [](std::span<const store::Result>) { return 1; });
  EXPECT_THROW((void)*value, std::logic_error);
}

TEST_P(ReadBatches, AFailingReadRollsBackTheWritesBatchedBeforeIt) {
  EXPECT_THROW(run_sync(transaction(*db_,
                                    [&](Tx& tx) -> Awaitable<void> {
                                      ReadBatch reads(tx.dialect());
                                      std::vector<store::LedgerTransfer> deposit;
                                      deposit.push_back(store::move_money("dep_failed", "deposit", "ref",
                                                                          store::kPaystackClearingAccount,
                                                                          store::wallet_account(user_), 100));
                                      (void)LedgerRepository::lock_for_post(reads, deposit);
                                      (void)reads.add<int>(one("SELECT no_such_column FROM users"),
                                                           [](std::span<const store::Result>) { return 0; });
                                      co_await reads.run(tx);
                                    })),
               store::QueryError);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transactions"), 0) << "the header written in the batch must roll back";
}

TEST_P(ReadBatches, ATransactionsFirstStatementRollsBackWithIt) {
  // On PostgreSQL the BEGIN waits for this INSERT and travels with it: were it lost, the INSERT would commit alone.
  EXPECT_THROW(run_sync(transaction(*db_,
                                    [&](Tx& tx) -> Awaitable<void> {
                                      co_await tx.exec(
                                          "INSERT INTO ledger_transactions (id, kind, reference, created_at)"
                                          " VALUES ('first', 'fee', 'r', 1)");
                                      co_await tx.exec("SELECT COUNT(*) FROM ledger_transactions");
                                      throw std::runtime_error("the body gives up");
                                    })),
               std::runtime_error);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transactions"), 0);
  // A body that gives up before any statement leaves a connection as good as new.
  for (int i = 0; i < 20; ++i)
    EXPECT_THROW(run_sync(transaction(*db_,
                                      [&](Tx&) -> Awaitable<void> {
                                        throw std::runtime_error("nothing sent");
                                        co_return;
                                      })),
                 std::runtime_error);
  EXPECT_EQ(count("SELECT COUNT(*) FROM users"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReadBatches, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return backend_name(info.param); });
