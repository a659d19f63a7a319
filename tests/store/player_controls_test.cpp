// The player's controls in store/users (date of birth, exclusion, the standing money paths read) on both backends.
#include "store/player_limits.hpp"
#include "store/users.hpp"
#include "store_fixture.hpp"

namespace b2w::test {
namespace {

using store::UserRepository;

class PlayerStandingStore : public StoreWithUser {
 protected:
  template <class F>
  auto in_tx(F f) {
    return run_sync(store::transaction(*db_, f));
  }
};

INSTANTIATE_TEST_SUITE_P(Backends, PlayerStandingStore, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(PlayerStandingStore, TheDateOfBirthIsSetOnce) {
  const std::string id = user_;
  auto set = [&](const std::string& date) {
    return in_tx([&id, &date](store::Tx& tx) -> store::Awaitable<bool> {
      const bool done = co_await UserRepository::set_date_of_birth(tx, id, date);
      co_return done;
    });
  };
  auto standing = [&] {
    return in_tx([&id](store::Tx& tx) -> store::Awaitable<std::optional<domain::PlayerStanding>> {
      auto gate =
          co_await store::PlayerLimitRepository::lock_gate(tx, id, store::now_micros(), store::GateCount::wallet, 0);
      co_return gate.standing;
    });
  };
  EXPECT_FALSE(standing()->has_date_of_birth);
  EXPECT_TRUE(set("1990-06-15"));
  EXPECT_FALSE(set("1991-01-01")) << "once";
  UserRepository users(*db_);
  EXPECT_EQ(run_sync(users.find_by_id(user_))->date_of_birth, "1990-06-15");
  EXPECT_TRUE(standing()->has_date_of_birth);
  EXPECT_FALSE(standing()->excluded_until);
  const std::string missing = "usr_missing";
  EXPECT_FALSE(in_tx([&missing](store::Tx& tx) -> store::Awaitable<std::optional<domain::PlayerStanding>> {
    auto gate = co_await store::PlayerLimitRepository::lock_gate(tx, missing, store::now_micros(),
                                                                 store::GateCount::deposits, 0);
    co_return gate.standing;
  }));
}

TEST_P(PlayerStandingStore, AnExclusionOnlyGrows) {
  const std::string id = user_;
  auto exclude = [&](std::int64_t until, const std::string& period) {
    return in_tx([&id, until, &period](store::Tx& tx) -> store::Awaitable<std::optional<store::UserRecord>> {
      auto user = co_await UserRepository::extend_exclusion(tx, id, until, period);
      co_return user;
    });
  };
  const auto now = store::now_micros();
  auto week = exclude(now + 7'000'000, "7d");
  ASSERT_TRUE(week);
  EXPECT_EQ(week->excluded_until, now + 7'000'000);
  EXPECT_EQ(week->exclusion_period, "7d");
  auto day = exclude(now + 1'000'000, "24h");
  EXPECT_EQ(day->excluded_until, now + 7'000'000) << "never shortened";
  EXPECT_EQ(day->exclusion_period, "7d");
  auto forever = exclude(domain::kExcludedForever, "permanent");
  EXPECT_EQ(forever->excluded_until, domain::kExcludedForever) << "INT64_MAX round-trips";
  EXPECT_EQ(forever->exclusion_period, "permanent");
  EXPECT_EQ(exclude(now, "24h")->excluded_until, domain::kExcludedForever);
  const std::string missing = "usr_missing";
  EXPECT_FALSE(in_tx([&missing, now](store::Tx& tx) -> store::Awaitable<std::optional<store::UserRecord>> {
    auto user = co_await UserRepository::extend_exclusion(tx, missing, now, "24h");
    co_return user;
  }));
}

}  // namespace
}  // namespace b2w::test
