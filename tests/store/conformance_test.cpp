// One suite, both SQL backends: what every repository relies on.
#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>
#include <future>
#include <thread>

#include "store/db/migrations.hpp"
#include "store/users.hpp"
#include "store_fixture.hpp"
#include "util/unavailable.hpp"

using namespace b2w;
using namespace b2w::test;
using store::Awaitable;
using store::Tx;

namespace {

class SqlConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    fresh_ = fresh_database(GetParam());
    db_ = fresh_->db.get();
    run_sync(store::migrate(*db_));
    run_sync(transaction(*db_, [](Tx& tx) -> Awaitable<void> {
      co_await tx.exec_script(
          "CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);"
          "CREATE TABLE journal (id BIGINT PRIMARY KEY, counter TEXT NOT NULL REFERENCES counters(name), delta BIGINT "
          "NOT NULL);"
          "INSERT INTO counters (name, value) VALUES ('a', 0);");
    }));
  }
  std::unique_ptr<FreshDatabase> fresh_;
  store::Database* db_ = nullptr;
};

std::int64_t counter_value(store::Database& db, const std::string& name = "a") {
  return run_sync(db.query("SELECT value FROM counters WHERE name = $1", name)).one().i64(0);
}

// Adds one to counter `a` and journals it, in one transaction (a read-modify-write that needs the row lock).
Awaitable<void> increment(store::Database& db, std::int64_t journal_id) {
  co_await transaction(db, [&](Tx& tx) -> Awaitable<void> {
    auto row = co_await tx.exec("SELECT value FROM counters WHERE name = 'a' FOR UPDATE");
    const auto value = row.one().i64(0);
    co_await tx.exec("UPDATE counters SET value = $1 WHERE name = 'a'", value + 1);
    co_await tx.exec("INSERT INTO journal (id, counter, delta) VALUES ($1, 'a', 1)", journal_id);
  });
}

}  // namespace

TEST_P(SqlConformance, MigrationsApplyOnceAndReportTheVersion) {
  const auto latest =
      store::migrations_for(GetParam() == Backend::sqlite ? store::Dialect::sqlite : store::Dialect::postgres)
          .back()
          .version;
  EXPECT_EQ(run_sync(store::schema_version(*db_)), latest);
  auto again = run_sync(store::migrate(*db_));
  EXPECT_EQ(again.applied, 0);
  EXPECT_EQ(again.schema_version, latest);
}

TEST_P(SqlConformance, ValuesRoundTrip) {
  auto r = run_sync(db_->query("SELECT $1, $2, $3, $4", std::int64_t{9'223'372'036'854'775'807},
                               std::string("naïra ₦ \"q\""), std::nullopt, std::int64_t{-42}));
  const auto& row = r.one();
  EXPECT_EQ(row.i64(0), 9'223'372'036'854'775'807);
  EXPECT_EQ(row.str(1), "naïra ₦ \"q\"");
  EXPECT_TRUE(row.is_null(2));
  EXPECT_EQ(row.i64(3), -42);
}

TEST_P(SqlConformance, CommitAndRollback) {
  run_sync(increment(*db_, 1));
  EXPECT_EQ(counter_value(*db_), 1);
  EXPECT_THROW(run_sync(transaction(*db_,
                                    [](Tx& tx) -> Awaitable<void> {
                                      co_await tx.exec("UPDATE counters SET value = value + 100 WHERE name = 'a'");
                                      throw std::runtime_error("business rule failed");
                                    })),
               std::runtime_error);
  EXPECT_EQ(counter_value(*db_), 1) << "a failed transaction left a change behind";
}

TEST_P(SqlConformance, ConstraintViolationLeavesNothingHalfApplied) {
  EXPECT_THROW(
      run_sync(transaction(*db_,
                           [](Tx& tx) -> Awaitable<void> {
                             co_await tx.exec("UPDATE counters SET value = 50 WHERE name = 'a'");
                             co_await tx.exec("INSERT INTO journal (id, counter, delta) VALUES (1, 'missing', 1)");
                           })),
      store::ConstraintViolation);
  EXPECT_EQ(counter_value(*db_), 0);
  EXPECT_EQ(run_sync(db_->query("SELECT COUNT(*) FROM journal")).one().i64(0), 0);
}

// Deferred statements (sent with the next statement or the COMMIT) are applied with the rest of the
// transaction; one that fails fails the transaction, and the connection stays usable afterwards.
Awaitable<void> defer_journal(Tx& tx, std::int64_t id, const char* counter) {
  std::vector<store::Value> params;
  params.push_back(store::Value{id});
  params.push_back(store::Value{std::string(counter)});
  co_await tx.defer("INSERT INTO journal (id, counter, delta) VALUES ($1, $2, 1)", std::move(params));
}

TEST_P(SqlConformance, DeferredStatementsCommitWithTheTransaction) {
  run_sync(transaction(*db_, [](Tx& tx) -> Awaitable<void> {
    co_await tx.exec("UPDATE counters SET value = value + 2 WHERE name = 'a'");
    co_await defer_journal(tx, 1, "a");
    co_await defer_journal(tx, 2, "a");
    // A statement after deferred ones sees them (they run first, in order).
    const auto seen = co_await tx.exec("SELECT COUNT(*) FROM journal");
    EXPECT_EQ(seen.one().i64(0), 2);
    co_await defer_journal(tx, 3, "a");  // this one goes with the COMMIT
  }));
  EXPECT_EQ(run_sync(db_->query("SELECT COUNT(*) FROM journal")).one().i64(0), 3);
  EXPECT_EQ(counter_value(*db_), 2);

  // A deferred statement that fails (here at COMMIT on PostgreSQL) rolls the whole transaction back.
  EXPECT_THROW(run_sync(transaction(*db_,
                                    [](Tx& tx) -> Awaitable<void> {
                                      co_await tx.exec("UPDATE counters SET value = value + 100 WHERE name = 'a'");
                                      co_await defer_journal(tx, 4, "a");
                                      co_await defer_journal(tx, 1, "a");  // duplicate key
                                    })),
               store::ConstraintViolation);
  EXPECT_EQ(counter_value(*db_), 2);
  EXPECT_EQ(run_sync(db_->query("SELECT COUNT(*) FROM journal")).one().i64(0), 3);
  // The same connections carry on.
  for (int i = 0; i < 20; ++i) run_sync(increment(*db_, 100 + i));
  EXPECT_EQ(counter_value(*db_), 22);
}

// Statements sent together (one round trip on PostgreSQL) after any deferred ones: each one's result,
// in order; an error in one fails the transaction and the connection carries on.
std::vector<store::Statement> journal_then_count(std::int64_t id) {
  std::vector<store::Statement> statements;
  std::vector<store::Value> params;
  params.push_back(store::Value{id});
  statements.push_back(
      store::Statement{"INSERT INTO journal (id, counter, delta) VALUES ($1, 'a', 1) RETURNING id", std::move(params)});
  statements.push_back(store::Statement{"SELECT COUNT(*) FROM journal", {}});
  return statements;
}

TEST_P(SqlConformance, StatementsSentTogetherReturnEachResult) {
  run_sync(transaction(*db_, [](Tx& tx) -> Awaitable<void> {
    co_await defer_journal(tx, 1, "a");
    const auto results = co_await tx.execute_together(journal_then_count(2));
    EXPECT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].one().i64(0), 2);  // the RETURNING of the first
    EXPECT_EQ(results[1].one().i64(0), 2);  // the second sees the deferred row and the first's
  }));
  EXPECT_EQ(run_sync(db_->query("SELECT COUNT(*) FROM journal")).one().i64(0), 2);
  EXPECT_THROW(run_sync(transaction(*db_,
                                    [](Tx& tx) -> Awaitable<void> {
                                      co_await tx.exec("UPDATE counters SET value = value + 100 WHERE name = 'a'");
                                      co_await tx.execute_together(journal_then_count(1));  // duplicate key
                                    })),
               store::ConstraintViolation);
  EXPECT_EQ(counter_value(*db_), 0);
  EXPECT_EQ(run_sync(db_->query("SELECT COUNT(*) FROM journal")).one().i64(0), 2);
  for (int i = 0; i < 20; ++i) run_sync(increment(*db_, 100 + i));
  EXPECT_EQ(counter_value(*db_), 20);
}

TEST_P(SqlConformance, QueryErrorsAreNotConstraintErrors) {
  EXPECT_THROW(run_sync(db_->query("SELECT * FROM no_such_table")), store::QueryError);
}

TEST_P(SqlConformance, TransientConflictsRerunTheBody) {
  int attempts = 0;
  run_sync(transaction(*db_, [&](Tx& tx) -> Awaitable<void> {
    ++attempts;
    co_await tx.exec("UPDATE counters SET value = value + 1 WHERE name = 'a'");
    if (attempts < 3) throw store::TransientConflict("simulated serialization failure");
  }));
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(counter_value(*db_), 1) << "the failed attempts were rolled back";
}

TEST_P(SqlConformance, TransactionReturnsItsValue) {
  auto n = run_sync(transaction(*db_, [](Tx& tx) -> Awaitable<std::int64_t> {
    co_return (co_await tx.exec("SELECT value + 7 FROM counters WHERE name = 'a'")).one().i64(0);
  }));
  EXPECT_EQ(n, 7);
}

TEST_P(SqlConformance, ConcurrentWritersFromManyThreadsAreExact) {
  // 8 threads x 25 read-modify-write transactions: none lost, none fails ("database is locked" never surfaces).
  constexpr int kThreads = 8, kEach = 25;
  std::vector<std::future<void>> done;
  for (int t = 0; t < kThreads; ++t)
    done.push_back(std::async(std::launch::async, [&, t] {
      for (int i = 0; i < kEach; ++i) run_sync(increment(*db_, t * 1000 + i));
    }));
  for (auto& f : done) f.get();
  EXPECT_EQ(counter_value(*db_), kThreads * kEach);
  EXPECT_EQ(run_sync(db_->query("SELECT COUNT(*), SUM(delta) FROM journal")).one().i64(1), kThreads * kEach);
}

TEST_P(SqlConformance, ConcurrentCoroutinesOnOneThreadAreExact) {
  boost::asio::io_context ctx;
  constexpr int kN = 100;
  int finished = 0;
  for (int i = 0; i < kN; ++i)
    boost::asio::co_spawn(ctx, increment(*db_, 50'000 + i), [&](const std::exception_ptr& e) {
      if (!e) ++finished;
    });
  ctx.run();
  EXPECT_EQ(finished, kN);
  EXPECT_EQ(counter_value(*db_), kN);
}

TEST_P(SqlConformance, Probe) {
  auto probe = run_sync(db_->probe());
  EXPECT_TRUE(probe.ok);
  EXPECT_GE(probe.latency.count(), 0);
}

TEST_P(SqlConformance, UsersRepository) {
  store::UserRepository users(*db_);
  auto created = run_sync(users.create("ada@example.ng", "$argon2id$fake", std::string("Ada Obi"), std::nullopt));
  EXPECT_EQ(created.id.substr(0, 4), "usr_");
  EXPECT_EQ(created.role, "user");
  auto by_email = run_sync(users.find_by_email("ada@example.ng"));
  ASSERT_TRUE(by_email);
  EXPECT_EQ(by_email->id, created.id);
  EXPECT_EQ(by_email->full_name, "Ada Obi");
  EXPECT_FALSE(by_email->phone);
  EXPECT_EQ(by_email->created_at, created.created_at);
  EXPECT_THROW(run_sync(users.create("ada@example.ng", "x", std::nullopt, std::nullopt)), store::EmailTaken);
  EXPECT_FALSE(run_sync(users.find_by_id("usr_missing")));
  EXPECT_TRUE(run_sync(users.set_role(created.id, "superadmin")));
  EXPECT_EQ(run_sync(users.find_by_id(created.id))->role, "superadmin");
  EXPECT_FALSE(run_sync(users.set_role("usr_missing", "superadmin")));
  EXPECT_THROW(run_sync(users.set_role(created.id, "root")), store::ConstraintViolation);
}

TEST_P(SqlConformance, TokenVersionsOnlyGoUp) {
  store::UserRepository users(*db_);
  auto created = run_sync(users.create("tok@example.ng", "$argon2id$fake", std::nullopt, std::nullopt));
  EXPECT_EQ(created.token_version, 0);
  auto access = run_sync(users.find_access(created.id));
  ASSERT_TRUE(access);
  EXPECT_EQ(access->role, "user");
  EXPECT_EQ(access->token_version, 0);
  EXPECT_FALSE(run_sync(users.find_access("usr_missing")));

  EXPECT_TRUE(run_sync(users.revoke_tokens(created.id)));
  EXPECT_TRUE(run_sync(users.revoke_tokens(created.id)));
  EXPECT_EQ(run_sync(users.find_access(created.id))->token_version, 2);
  EXPECT_FALSE(run_sync(users.revoke_tokens("usr_missing")));
  // A role change revokes too, and is seen by the next authorization read.
  EXPECT_TRUE(run_sync(users.set_role(created.id, "superadmin")));
  access = run_sync(users.find_access(created.id));
  EXPECT_EQ(access->role, "superadmin");
  EXPECT_EQ(access->token_version, 3);
  EXPECT_EQ(run_sync(users.find_by_id(created.id))->token_version, 3);
}

TEST_P(SqlConformance, TwoProcessesMigratingAtOnceApplyEachMigrationOnce) {
  // A second database handle on the same (empty) store stands in for a second task starting at the same time.
  auto blank = fresh_database(GetParam());
  auto other = open_database(GetParam(), *blank);
  std::vector<std::future<store::MigrationReport>> runs;
  runs.push_back(std::async(std::launch::async, [&] { return run_sync(store::migrate(*blank->db)); }));
  runs.push_back(std::async(std::launch::async, [&] { return run_sync(store::migrate(*other)); }));
  const auto a = runs[0].get(), b = runs[1].get();
  const auto total = static_cast<int>(
      store::migrations_for(GetParam() == Backend::sqlite ? store::Dialect::sqlite : store::Dialect::postgres).size());
  EXPECT_EQ(a.applied + b.applied, total);
  EXPECT_EQ(a.schema_version, b.schema_version);
  EXPECT_EQ(run_sync(blank->db->query("SELECT COUNT(*) FROM schema_migrations")).one().i64(0), total);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlConformance, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return backend_name(info.param); });
