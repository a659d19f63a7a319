// PostgreSQL specifics: TLS, an unreachable server, a restart under load.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "store/db/migrations.hpp"
#include "store_fixture.hpp"
#include "util/unavailable.hpp"

using namespace b2w;
using namespace b2w::test;
using store::Awaitable;
using store::Tx;
using Clock = std::chrono::steady_clock;

namespace {

store::PostgresDatabase::Options options_for(const std::string& url) {
  store::PostgresDatabase::Options o;
  o.url = url;
  o.pool_max = 4;
  o.pool_min = 0;
  o.acquire_timeout = std::chrono::seconds(2);
  o.query_timeout = std::chrono::seconds(3);
  return o;
}

}  // namespace

TEST(Postgres, TlsWithVerifyFull) {
  PgServer server(PgServer::Options{.tls = true});
  store::PostgresDatabase db(options_for(server.tls_url("postgres")));
  auto r = run_sync(db.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
  EXPECT_EQ(r.one().str(0), "t") << "the connection is not encrypted";
}

TEST(Postgres, TlsWithTheWrongCaIsAClearError) {
  PgServer server(PgServer::Options{.tls = true});
  store::PostgresDatabase db(options_for(server.tls_url("postgres", server.other_ca_file())));
  try {
    run_sync(db.query("SELECT 1"));
    FAIL() << "connected although the CA does not match";
  } catch (const ServiceUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("certificate"), std::string::npos) << e.what();
  }
}

TEST(Postgres, PlaintextIsRefusedByATlsOnlyServer) {
  PgServer server(PgServer::Options{.tls = true});
  store::PostgresDatabase db(
      options_for("postgresql://postgres@127.0.0.1:" + std::to_string(server.port()) + "/postgres?sslmode=disable"));
  EXPECT_THROW(run_sync(db.query("SELECT 1")), ServiceUnavailable);
}

TEST(Postgres, DownMeansFastServiceUnavailableThenRecovery) {
  PgServer server;
  store::PostgresDatabase db(options_for(server.url()));
  run_sync(db.query("SELECT 1"));
  server.stop();
  const auto t0 = Clock::now();
  EXPECT_THROW(run_sync(db.query("SELECT 1")), ServiceUnavailable);
  const auto failed_after = Clock::now() - t0;
  EXPECT_LT(failed_after, std::chrono::milliseconds(500)) << "a refused connection must fail fast";
  EXPECT_FALSE(run_sync(db.probe()).ok);
  server.start();
  EXPECT_NO_THROW(run_sync(db.query("SELECT 1"))) << "the pool did not recover by itself";
  EXPECT_TRUE(run_sync(db.probe()).ok);
}

TEST(Postgres, RestartUnderLoadFailsCleanlyAndLeavesNothingHalfApplied) {
  PgServer server;
  store::PostgresDatabase db(options_for(server.url()));
  run_sync(transaction(db, [](Tx& tx) -> Awaitable<void> {
    co_await tx.exec_script("CREATE TABLE a (id BIGINT PRIMARY KEY); CREATE TABLE b (id BIGINT PRIMARY KEY);");
  }));
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, unavailable{0}, other{0};
  std::atomic<std::int64_t> next_id{1};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&] {
      while (!stop.load()) {
        const auto id = next_id.fetch_add(1);
        try {
          // Each transaction writes both tables: after any failure, a and b must still match.
          run_sync(transaction(db, [&](Tx& tx) -> Awaitable<void> {
            co_await tx.exec("INSERT INTO a (id) VALUES ($1)", id);
            co_await tx.exec("SELECT pg_sleep(0.002)");
            co_await tx.exec("INSERT INTO b (id) VALUES ($1)", id);
          }));
          ok.fetch_add(1);
        } catch (const ServiceUnavailable&) {
          unavailable.fetch_add(1);
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        } catch (...) {
          other.fetch_add(1);
        }
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  server.stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // an outage, not just a blip
  const int during_outage = unavailable.load();
  server.start();
  const auto restarted = Clock::now();
  const int before = ok.load();
  // The pool recovers by itself: successes resume.
  while (ok.load() <= before + 20 && Clock::now() - restarted < std::chrono::seconds(10))
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto recovery = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - restarted);
  stop.store(true);
  for (auto& w : writers) w.join();
  std::printf(
      "postgres restart under load: %d committed, %d failed cleanly (503), %d other errors, recovered in %lld ms\n",
      ok.load(), unavailable.load(), other.load(), static_cast<long long>(recovery.count()));
  EXPECT_GT(ok.load(), before + 20) << "no recovery after the restart";
  EXPECT_GT(during_outage, 0) << "requests during the outage should have failed fast";
  EXPECT_EQ(other.load(), 0) << "failures must surface as ServiceUnavailable";
  auto counts =
      run_sync(db.query("SELECT (SELECT COUNT(*) FROM a), (SELECT COUNT(*) FROM b),"
                        " (SELECT COUNT(*) FROM a FULL JOIN b USING (id) WHERE a.id IS NULL OR b.id IS NULL)"));
  EXPECT_EQ(counts.one().i64(0), counts.one().i64(1));
  EXPECT_EQ(counts.one().i64(2), 0) << "a half-applied transaction was committed";
  EXPECT_GE(counts.one().i64(0), ok.load()) << "an acknowledged commit was lost";
}

// DB_POOL_MIN connections are open before the first requests need them (a new task's first requests
// otherwise pay for the connections).
TEST(Postgres, WarmUpOpensPoolMinConnections) {
  PgServer server;
  auto o = options_for(server.url());
  o.pool_min = 3;
  store::PostgresDatabase db(o);
  std::int64_t backends = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    auto r =
        run_sync(db.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = "
                          "'client backend'"));
    backends = r.one().i64(0);
    if (backends >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // The test's own queries may open one more while the warm-up still holds its connections.
  EXPECT_GE(backends, 3);
  EXPECT_LE(backends, 4);
}

TEST(Postgres, PoolExhaustionWaitsThenTimesOut) {
  PgServer server;
  auto o = options_for(server.url());
  o.pool_max = 1;
  o.acquire_timeout = std::chrono::milliseconds(300);
  store::PostgresDatabase db(o);
  // One long statement holds the only connection; a second caller waits, then gets 503 after the acquire timeout.
  auto slow = std::async(std::launch::async, [&] { run_sync(db.query("SELECT pg_sleep(1)")); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto t0 = Clock::now();
  EXPECT_THROW(run_sync(db.query("SELECT 1")), ServiceUnavailable);
  const auto waited = Clock::now() - t0;
  EXPECT_GE(waited, std::chrono::milliseconds(250));
  EXPECT_LT(waited, std::chrono::milliseconds(900));
  slow.get();
  EXPECT_NO_THROW(run_sync(db.query("SELECT 1")));
}

TEST(Postgres, QueryTimeoutDiscardsTheConnection) {
  PgServer server;
  auto o = options_for(server.url());
  o.query_timeout = std::chrono::milliseconds(200);
  store::PostgresDatabase db(o);
  EXPECT_THROW(run_sync(db.query("SELECT pg_sleep(2)")), ServiceUnavailable);
  EXPECT_NO_THROW(run_sync(db.query("SELECT 1")));
}
