// The Google identity links (store/google_identities) on SQLite and PostgreSQL.
#include "store/google_identities.hpp"

#include "store/users.hpp"
#include "store_fixture.hpp"

namespace b2w::test {
namespace {

using store::GoogleIdentityRepository;

class GoogleIdentities : public StoreWithUser {};

INSTANTIATE_TEST_SUITE_P(Backends, GoogleIdentities, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(GoogleIdentities, TheFirstLinkOfASubStands) {
  GoogleIdentityRepository links(*db_);
  EXPECT_FALSE(run_sync(links.find("sub-1")));
  EXPECT_EQ(run_sync(links.link("sub-1", user_, "ada@example.com")), user_);

  store::UserRepository users(*db_);
  const auto other = run_sync(users.create("other@example.com", "!no-password", std::nullopt, std::nullopt));
  // Linking the same Google account to another user changes nothing and names the first.
  EXPECT_EQ(run_sync(links.link("sub-1", other.id, "other@example.com")), user_);
  const auto found = run_sync(links.find("sub-1"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, user_);
  EXPECT_EQ(found->email, "ada@example.com");
  EXPECT_GT(found->created_at, 0);

  EXPECT_EQ(run_sync(links.link("sub-2", user_, "ada@example.com")), user_);
  const auto mine = run_sync(links.for_user(user_));
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_TRUE(run_sync(links.for_user(other.id)).empty());
}

TEST_P(GoogleIdentities, AnUnknownUserCannotBeLinked) {
  GoogleIdentityRepository links(*db_);
  EXPECT_THROW(run_sync(links.link("sub-x", "usr_missing", "x@example.com")), store::ConstraintViolation);
}

}  // namespace
}  // namespace b2w::test
