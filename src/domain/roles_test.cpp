#include "domain/roles.hpp"

#include <gtest/gtest.h>

using namespace b2w::domain;

TEST(Roles, EachRoleHasOneWireNameThatParsesBack) {
  for (auto role : kRoles) {
    const auto name = to_string(role);
    ASSERT_EQ(parse_role(name), role) << name;
  }
  EXPECT_EQ(to_string(Role::superadmin), "superadmin");
  EXPECT_EQ(role_names(), "user, trader, finance, support, superadmin");
}

TEST(Roles, UnknownAndRetiredNamesAreRefused) {
  EXPECT_FALSE(parse_role("admin")) << "migration 015 made every admin a superadmin";
  EXPECT_FALSE(parse_role(""));
  EXPECT_FALSE(parse_role("Trader"));
  EXPECT_FALSE(parse_role("trader "));
}

TEST(Roles, OnlyStaffAreStaff) {
  EXPECT_FALSE(is_staff(Role::user));
  for (auto role : {Role::trader, Role::finance, Role::support, Role::superadmin}) EXPECT_TRUE(is_staff(role));
}

TEST(Roles, ARouteAdmitsItsRolesAndSuperadminNeverAPlayer) {
  const Roles desk{Role::trader};
  EXPECT_TRUE(desk.admit(Role::trader));
  EXPECT_TRUE(desk.admit(Role::superadmin));
  EXPECT_FALSE(desk.admit(Role::finance));
  EXPECT_FALSE(desk.admit(Role::support));
  EXPECT_FALSE(desk.admit(Role::user));
  const Roles two{Role::finance, Role::support};
  EXPECT_TRUE(two.admit(Role::finance));
  EXPECT_TRUE(two.admit(Role::support));
  EXPECT_FALSE(two.admit(Role::trader));
  // Listing user admits no player: admin routes are for staff.
  EXPECT_FALSE(Roles{Role::user}.admit(Role::user));
  // No roles listed: superadmin only (the safe default).
  const Roles none{};
  EXPECT_TRUE(none.empty());
  EXPECT_TRUE(none.admit(Role::superadmin));
  EXPECT_FALSE(none.admit(Role::trader));
}

TEST(Roles, ASetNamesItsRolesInOrder) {
  EXPECT_EQ(to_string(Roles{Role::support, Role::finance}), "finance, support");
  EXPECT_EQ(to_string(Roles{}), "");
  EXPECT_EQ((Roles{Role::trader, Role::trader}), Roles{Role::trader});
  EXPECT_EQ(Roles{}.with(Role::finance).with(Role::support), (Roles{Role::support, Role::finance}));
}
