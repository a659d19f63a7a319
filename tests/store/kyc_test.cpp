// KYC (migration 018) on SQLite and PostgreSQL: identity checks, the users' tier columns, and the day's
// withdrawals as the payment service counts them under the user's withdrawal lock.
#include "store/identity_checks.hpp"
#include "store/payments.hpp"
#include "store/users.hpp"
#include "store_fixture.hpp"

namespace b2w::test {
namespace {

using domain::IdentityCheckStatus;
using store::Awaitable;
using store::IdentityCheck;
using store::IdentityCheckRepository;
using store::Tx;

class Kyc : public StoreWithUser {
 protected:
  IdentityCheck check(const std::string& id, std::int64_t at) {
    IdentityCheck c;
    c.id = id;
    c.user_id = user_;
    c.bvn_last4 = "2221";
    c.bank_code = "007";
    c.created_at = c.updated_at = at;
    return c;
  }
  bool insert(IdentityCheck c) {
    return run_sync(store::transaction(*db_, [&c](Tx& tx) -> Awaitable<bool> {
      const bool inserted = co_await IdentityCheckRepository::insert(tx, c);
      co_return inserted;
    }));
  }
  void move(const std::string& id, IdentityCheckStatus from, IdentityCheckStatus to, std::optional<std::string> why) {
    run_sync(store::transaction(
        *db_, [&](Tx& tx) -> Awaitable<void> { co_await IdentityCheckRepository::move(tx, id, from, to, why); }));
  }
  store::UserRecord user() { return *run_sync(store::UserRepository(*db_).find_by_id(user_)); }
};

INSTANTIATE_TEST_SUITE_P(Backends, Kyc, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(Kyc, OnePendingCheckPerUserAndTheNewestIsFound) {
  IdentityCheckRepository checks(*db_);
  EXPECT_FALSE(run_sync(checks.latest(user_)));
  EXPECT_TRUE(insert(check("idc_1", 1000)));
  EXPECT_FALSE(insert(check("idc_2", 2000))) << "a second pending check";
  move("idc_1", IdentityCheckStatus::pending, IdentityCheckStatus::failed, "Account number or BVN is incorrect");
  EXPECT_TRUE(insert(check("idc_2", 2000))) << "after a failure, a new attempt";
  const auto latest = run_sync(checks.latest(user_));
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->id, "idc_2");
  EXPECT_EQ(latest->status, IdentityCheckStatus::pending);
  EXPECT_EQ(latest->bvn_last4, "2221");
  EXPECT_FALSE(latest->customer_code);
}

TEST_P(Kyc, WebhooksFindTheNewestCheckOfACustomerCode) {
  IdentityCheckRepository checks(*db_);
  insert(check("idc_1", 1000));
  run_sync(store::transaction(*db_, [](Tx& tx) -> Awaitable<void> {
    co_await IdentityCheckRepository::set_customer_code(tx, "idc_1", "CUS_abc");
  }));
  move("idc_1", IdentityCheckStatus::pending, IdentityCheckStatus::failed, "no");
  insert(check("idc_2", 2000));
  run_sync(store::transaction(*db_, [](Tx& tx) -> Awaitable<void> {
    co_await IdentityCheckRepository::set_customer_code(tx, "idc_2", "CUS_abc");
  }));
  EXPECT_EQ(run_sync(checks.known_customer_code(user_)), "CUS_abc");
  const auto found = run_sync(store::transaction(*db_, [](Tx& tx) -> Awaitable<std::optional<IdentityCheck>> {
    auto c = co_await IdentityCheckRepository::lock_latest_by_customer(tx, "CUS_abc");
    co_return c;
  }));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, "idc_2");
  const auto none = run_sync(store::transaction(*db_, [](Tx& tx) -> Awaitable<std::optional<IdentityCheck>> {
    auto c = co_await IdentityCheckRepository::lock_latest_by_customer(tx, "CUS_unknown");
    co_return c;
  }));
  EXPECT_FALSE(none);
}

TEST_P(Kyc, AMoveFromAStatusTheCheckIsNoLongerInChangesNothing) {
  insert(check("idc_1", 1000));
  move("idc_1", IdentityCheckStatus::pending, IdentityCheckStatus::verified, std::nullopt);
  EXPECT_ANY_THROW(move("idc_1", IdentityCheckStatus::pending, IdentityCheckStatus::failed, "late"));
  const auto latest = run_sync(IdentityCheckRepository(*db_).latest(user_));
  EXPECT_EQ(latest->status, IdentityCheckStatus::verified);
  EXPECT_FALSE(latest->reason);
}

TEST_P(Kyc, TheTierFollowsTheProofsUnlessAnOperatorSetsOne) {
  EXPECT_EQ(store::kyc_tier(user()), domain::KycTier::registered);
  auto verify = [&] {
    run_sync(store::transaction(
        *db_, [&](Tx& tx) -> Awaitable<void> { co_await store::UserRepository::mark_identity_verified(tx, user_); }));
  };
  verify();
  const auto first = user().identity_verified_at;
  ASSERT_TRUE(first);
  verify();
  EXPECT_EQ(user().identity_verified_at, first) << "the first moment stays";
  EXPECT_EQ(store::kyc_tier(user()), domain::KycTier::identity_verified);
  auto set = [&](std::optional<std::int64_t> tier) {
    run_sync(store::transaction(*db_, [&](Tx& tx) -> Awaitable<void> {
      const auto locked = co_await store::UserRepository::lock(tx, user_);
      EXPECT_TRUE(locked);
      co_await store::UserRepository::set_kyc_tier_override(tx, user_, tier);
    }));
  };
  set(0);
  EXPECT_EQ(user().kyc_tier_override, 0);
  EXPECT_EQ(store::kyc_tier(user()), domain::KycTier::registered);
  set(std::nullopt);
  EXPECT_EQ(store::kyc_tier(user()), domain::KycTier::identity_verified);
  EXPECT_ANY_THROW(set(3)) << "the database refuses a tier that does not exist";
}

TEST_P(Kyc, TheDaysWithdrawalsLeaveOutWhatCameBack) {
  auto add = [&](const std::string& id, std::int64_t amount, domain::PaymentStatus status, std::int64_t at) {
    store::Payment p;
    p.id = id;
    p.user_id = user_;
    p.kind = domain::PaymentKind::withdrawal;
    p.reference = id;
    p.amount = amount;
    p.status = status;
    p.created_at = p.updated_at = at;
    run_sync(store::transaction(*db_,
                                [&p](Tx& tx) -> Awaitable<void> { co_await store::PaymentRepository::insert(tx, p); }));
  };
  using S = domain::PaymentStatus;
  add("wd_old", 999, S::completed, 10);  // before the window
  add("wd_1", 100, S::pending, 1000);
  add("wd_2", 200, S::awaiting_review, 1001);
  add("wd_3", 400, S::completed, 1002);
  add("wd_4", 800, S::failed, 1003);
  add("wd_5", 1600, S::rejected, 1004);
  add("wd_6", 3200, S::reversed, 1005);
  const auto day =
      run_sync(store::transaction(*db_, [&](Tx& tx) -> Awaitable<store::PaymentRepository::WithdrawalsSince> {
        auto d = co_await store::PaymentRepository::withdrawals_since(tx, user_, 1000);
        co_return d;
      }));
  EXPECT_EQ(day.requested, 6);
  EXPECT_EQ(day.paying_out, 3);
  EXPECT_EQ(day.paying_amount, 700);
}

}  // namespace
}  // namespace b2w::test
