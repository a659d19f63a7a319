#include "auth/accounts.hpp"

#include <gtest/gtest.h>

#include <boost/asio/detached.hpp>
#include <future>

#include "app/blocking.hpp"
#include "domain/error.hpp"
#include "kv/memory_store.hpp"
#include "store/db/migrations.hpp"
#include "store/db/sqlite_database.hpp"

namespace b2w {
namespace {

namespace asio = boost::asio;

// An attempt the service could not verify (here: the hashing queue is full) is not the user's failure:
// it must not use up a free attempt or leave a hold behind.
TEST(AccountService, AnAttemptThatCouldNotBeVerifiedIsGivenBack) {
  store::SqliteDatabase db(":memory:");
  app::run_blocking(store::migrate(db));
  store::UserRepository users(db);
  kv::MemoryStore kv;
  auth::TokenService tokens(kv, std::string(40, 'a'), std::string(40, 'b'), std::chrono::hours(1),
                            std::chrono::hours(2));
  auth::RateLimiter limiter(kv);
  BlockingPool pool(1, 1);
  const identity::EmailVerification email(db, users, limiter, identity::EmailOptions{});
  auth::AccountService accounts(users, tokens, limiter, pool,
                                {1000, 1000, std::chrono::minutes(15), std::chrono::hours(24),
                                 auth::LoginThrottle{1, std::chrono::minutes(5), std::chrono::minutes(15)}},
                                email);
  app::run_blocking(
      accounts.register_user({"given@example.ng", "given-back-pass", std::nullopt, std::nullopt}, "10.0.0.1"));

  // Both places of the pool taken by jobs that wait for the test.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  asio::io_context io;
  for (int i = 0; i < 2; ++i)
    asio::co_spawn(io, pool.run([&released] {
      released.wait();
      return 0;
    }),
                   asio::detached);
  io.poll();  // both admitted: one running, one waiting

  EXPECT_THROW(app::run_blocking(accounts.login("given@example.ng", "wrong-password-1", "10.0.0.1")),
               ServiceUnavailable);
  EXPECT_EQ(app::run_blocking(limiter.peek("rl:login:fail:given@example.ng")), 0);
  EXPECT_EQ(app::run_blocking(limiter.held_for("rl:login:hold:given@example.ng")).count(), 0)
      << "one free failure: the refused attempt would otherwise have held the account";
  release.set_value();
  io.run();

  // Verified now: the wrong password is counted and, past the one free failure, holds the account.
  try {
    app::run_blocking(accounts.login("given@example.ng", "wrong-password-1", "10.0.0.1"));
    ADD_FAILURE() << "a wrong password signed in";
  } catch (const domain::Error& e) {
    EXPECT_EQ(e.code(), "invalid_credentials");
  }
  EXPECT_EQ(app::run_blocking(limiter.peek("rl:login:fail:given@example.ng")), 1);
  EXPECT_GT(app::run_blocking(limiter.held_for("rl:login:hold:given@example.ng")).count(), 0);
}

}  // namespace
}  // namespace b2w
