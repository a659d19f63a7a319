// Phone codes (store/phone_otps) and verified phones (UserRepository) on SQLite and PostgreSQL.
#include "store/phone_otps.hpp"

#include "store/users.hpp"
#include "store_fixture.hpp"

namespace b2w::test {
namespace {

using domain::OtpPurpose;
using store::PhoneOtpRepository;

class PhoneOtps : public StoreWithUser {
 protected:
  std::int64_t in_minutes(int m) { return store::now_micros() + std::int64_t{m} * 60'000'000; }
};

INSTANTIATE_TEST_SUITE_P(Backends, PhoneOtps, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(PhoneOtps, ChecksAreCountedOnTheNewestCodeUpToTheBound) {
  PhoneOtpRepository codes(*db_);
  EXPECT_FALSE(run_sync(codes.claim_check("+2348031234567", OtpPurpose::login, 5))) << "nothing sent";
  run_sync(codes.insert("+2348031234567", OtpPurpose::login, "pin-old", std::nullopt, in_minutes(10)));
  run_sync(codes.insert("+2348031234567", OtpPurpose::login, "pin-new", std::nullopt, in_minutes(10)));
  run_sync(codes.insert("+2348031234567", OtpPurpose::verify_phone, "pin-other", user_, in_minutes(10)));
  for (int i = 1; i <= 3; ++i) {
    const auto claimed = run_sync(codes.claim_check("+2348031234567", OtpPurpose::login, 3));
    ASSERT_TRUE(claimed) << i;
    EXPECT_EQ(claimed->pin_id, "pin-new") << "a newer code replaces older ones";
    EXPECT_EQ(claimed->attempts, i);
    EXPECT_FALSE(claimed->user_id);
  }
  const auto spent = run_sync(codes.claim_check("+2348031234567", OtpPurpose::login, 3));
  EXPECT_FALSE(spent) << "three checks, no more";
  // A check that could not be made is given back; the purpose keeps codes apart.
  const auto other = run_sync(codes.claim_check("+2348031234567", OtpPurpose::verify_phone, 1));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->user_id, user_);
  EXPECT_FALSE(run_sync(codes.claim_check("+2348031234567", OtpPurpose::verify_phone, 1)));
  run_sync(codes.unclaim_check(other->id));
  EXPECT_TRUE(run_sync(codes.claim_check("+2348031234567", OtpPurpose::verify_phone, 1)));
}

TEST_P(PhoneOtps, ExpiredOrUsedCodesCannotBeChecked) {
  PhoneOtpRepository codes(*db_);
  run_sync(codes.insert("+2348031234567", OtpPurpose::login, "pin-expired", std::nullopt, store::now_micros() - 1));
  EXPECT_FALSE(run_sync(codes.claim_check("+2348031234567", OtpPurpose::login, 5)));
  run_sync(codes.insert("+2348031234567", OtpPurpose::login, "pin-live", std::nullopt, in_minutes(10)));
  const auto claimed = run_sync(codes.claim_check("+2348031234567", OtpPurpose::login, 5));
  ASSERT_TRUE(claimed);
  const std::string id = claimed->id;
  auto use = [&] {
    return run_sync(store::transaction(*db_, [&id](store::Tx& tx) -> store::Awaitable<bool> {
      const bool fresh = co_await PhoneOtpRepository::use(tx, id);
      co_return fresh;
    }));
  };
  EXPECT_TRUE(use());
  EXPECT_FALSE(use()) << "once";
  EXPECT_FALSE(run_sync(codes.claim_check("+2348031234567", OtpPurpose::login, 5)));
}

TEST_P(PhoneOtps, AVerifiedPhoneBelongsToOneAccount) {
  store::UserRepository users(*db_);
  auto verify = [&](const std::string& id, const std::string& phone) {
    run_sync(store::transaction(*db_, [&id, &phone](store::Tx& tx) -> store::Awaitable<void> {
      co_await store::UserRepository::set_verified_phone(tx, id, phone);
    }));
  };
  EXPECT_FALSE(run_sync(users.find_by_verified_phone("+2348031234567")));
  verify(user_, "+2348031234567");
  const auto owner = run_sync(users.find_by_verified_phone("+2348031234567"));
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->id, user_);
  ASSERT_TRUE(owner->phone_verified_at);
  const auto first_moment = *owner->phone_verified_at;
  verify(user_, "+2348031234567");
  EXPECT_EQ(run_sync(users.find_by_id(user_))->phone_verified_at, first_moment) << "the first moment stays";

  // An unverified phone may repeat; a verified one may not.
  const auto other = run_sync(users.create("other@example.com", "!no-password", std::nullopt, "+2348031234567"));
  EXPECT_FALSE(other.phone_verified_at);
  EXPECT_THROW(verify(other.id, "+2348031234567"), store::PhoneTaken);
  EXPECT_FALSE(run_sync(users.find_by_id(other.id))->phone_verified_at) << "rolled back";
  verify(other.id, "+2348051234567");
  EXPECT_EQ(run_sync(users.find_by_verified_phone("+2348051234567"))->id, other.id);
  // Moving to a new phone verifies the new one (the old one is free again).
  verify(user_, "+2349031234567");
  EXPECT_FALSE(run_sync(users.find_by_verified_phone("+2348031234567")));
  verify(other.id, "+2348031234567");
  EXPECT_EQ(run_sync(users.find_by_verified_phone("+2348031234567"))->id, other.id);
}

}  // namespace
}  // namespace b2w::test
