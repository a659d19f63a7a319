// Staff roles on SQLite and PostgreSQL: migration 015 (admins become superadmins, the role constraint
// widened, the users table still referenced), the constraint, and the staff service over a real store.
#include <gtest/gtest.h>

#include "auth/staff.hpp"
#include "domain/error.hpp"
#include "store/db/migrations.hpp"
#include "store/users.hpp"
#include "store_fixture.hpp"

namespace b2w::test {
namespace {

using domain::Role;
using store::Awaitable;
using store::Tx;

constexpr int kStaffRolesMigration = 15;

class StaffRoles : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    fresh_ = fresh_database(GetParam());
    db_ = fresh_->db.get();
  }
  store::Dialect dialect() const {
    return GetParam() == Backend::sqlite ? store::Dialect::sqlite : store::Dialect::postgres;
  }
  // The schema as it was before migration 015, recorded as applied, as `migrate` would have left it.
  void migrate_before_staff_roles() {
    auto all = store::migrations_for(dialect());
    run_sync(store::transaction(*db_, [&](Tx& tx) -> Awaitable<void> {
      co_await tx.exec_script(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      for (const auto& m : all) {
        if (m.version >= kStaffRolesMigration) break;
        co_await tx.exec_script(m.sql);
        co_await tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)",
                         std::int64_t{m.version}, m.name);
      }
    }));
  }
  std::string role_of(const std::string& id) {
    return run_sync(db_->query("SELECT role FROM users WHERE id = $1", id)).one().str(0);
  }
  std::unique_ptr<FreshDatabase> fresh_;
  store::Database* db_ = nullptr;
};

INSTANTIATE_TEST_SUITE_P(Backends, StaffRoles, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(StaffRoles, TheMigrationMakesAdminsSuperadminsAndKeepsWhatReferencesUsers) {
  migrate_before_staff_roles();
  store::UserRepository users(*db_);
  // Accounts as they were: an administrator and a player, each with ledger accounts that reference them.
  const auto admin = run_sync(users.create("old-admin@example.ng", "x", std::nullopt, std::nullopt, "admin")).id;
  const auto player = run_sync(users.create("player@example.ng", "x", std::nullopt, std::nullopt, "user")).id;
  EXPECT_THROW(run_sync(users.set_role(player, "trader")), store::ConstraintViolation) << "not before 015";

  const auto report = run_sync(store::migrate(*db_));
  EXPECT_GE(report.applied, 1);
  EXPECT_EQ(role_of(admin), "superadmin");
  EXPECT_EQ(role_of(player), "user");
  // The same connection sees the new constraint at once, and so does a new one.
  EXPECT_TRUE(run_sync(users.set_role(player, "trader")));
  EXPECT_THROW(run_sync(users.set_role(player, "admin")), store::ConstraintViolation) << "admin is retired";
  auto reopened = open_database(GetParam(), *fresh_);
  store::UserRepository again(*reopened);
  EXPECT_TRUE(run_sync(again.set_role(player, "finance")));
  EXPECT_THROW(run_sync(again.set_role(player, "wizard")), store::ConstraintViolation);
  reopened.reset();

  // The tables that reference users still do, and still refuse a user who does not exist.
  EXPECT_EQ(run_sync(db_->query("SELECT COUNT(*) FROM ledger_accounts WHERE user_id = $1", admin)).one().i64(0), 3);
  EXPECT_THROW(run_sync(db_->query("INSERT INTO ledger_accounts (id, kind, user_id, may_go_negative, created_at)"
                                   " VALUES ('acct_orphan', 'wallet', 'usr_nobody', 0, 0)")),
               store::ConstraintViolation);
  if (GetParam() == Backend::sqlite) {
    EXPECT_TRUE(run_sync(db_->query("PRAGMA foreign_key_check")).empty());
    EXPECT_EQ(run_sync(db_->query("PRAGMA integrity_check")).one().str(0), "ok");
  }
}

TEST_P(StaffRoles, TheConstraintTakesTheFiveRolesAndNothingElse) {
  run_sync(store::migrate(*db_));
  store::UserRepository users(*db_);
  const auto id = run_sync(users.create("someone@example.ng", "x", std::nullopt, std::nullopt)).id;
  for (auto role : domain::kRoles) EXPECT_TRUE(run_sync(users.set_role(id, std::string(domain::to_string(role)))));
  for (const char* role : {"admin", "Superadmin", "", "root"}) {
    EXPECT_THROW(run_sync(users.set_role(id, role)), store::ConstraintViolation) << role;
  }
  EXPECT_THROW(run_sync(users.create("bogus@example.ng", "x", std::nullopt, std::nullopt, "owner")),
               store::ConstraintViolation);
}

TEST_P(StaffRoles, TheServiceAssignsRolesListsStaffAndRefusesOwnChanges) {
  run_sync(store::migrate(*db_));
  store::UserRepository users(*db_);
  auth::StaffService staff(users);
  const auto boss = run_sync(users.create("boss@example.ng", "x", std::nullopt, std::nullopt, "superadmin"));
  const auto player = run_sync(users.create("player@example.ng", "x", std::nullopt, std::nullopt));

  auto change = run_sync(staff.assign(boss.id, "  Player@Example.NG ", Role::trader));
  EXPECT_TRUE(change.changed);
  EXPECT_EQ(change.previous, Role::user);
  EXPECT_EQ(change.user.id, player.id);
  EXPECT_EQ(change.user.role, "trader");
  const auto access = run_sync(users.find_access(player.id));
  ASSERT_TRUE(access);
  EXPECT_EQ(access->token_version, player.token_version + 1) << "a role change revokes the tokens";

  const auto same = run_sync(staff.assign(boss.id, "player@example.ng", Role::trader));
  EXPECT_FALSE(same.changed);
  EXPECT_EQ(run_sync(users.find_access(player.id))->token_version, access->token_version) << "nothing revoked";

  auto code_of = [&](std::optional<std::string> actor, std::string email, Role role) -> std::string {
    try {
      run_sync(staff.assign(std::move(actor), std::move(email), role));
    } catch (const domain::Error& e) {
      return e.code();
    }
    return "ok";
  };
  EXPECT_EQ(code_of(boss.id, "boss@example.ng", Role::user), "own_role");
  EXPECT_EQ(code_of(player.id, "player@example.ng", Role::superadmin), "own_role");
  EXPECT_EQ(role_of(boss.id), "superadmin");
  EXPECT_EQ(code_of(boss.id, "ghost@example.ng", Role::trader), "user_not_found");
  EXPECT_EQ(code_of(boss.id, "not-an-email", Role::trader), "validation_error");
  EXPECT_EQ(code_of(std::nullopt, "boss@example.ng", Role::finance), "ok") << "the operator's CLI has no actor";

  const auto listed = run_sync(staff.list());
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].email, "boss@example.ng");  // finance before trader
  EXPECT_EQ(listed[0].role, "finance");
  EXPECT_EQ(listed[1].email, "player@example.ng");
  run_sync(staff.assign(std::nullopt, "player@example.ng", Role::user));
  EXPECT_EQ(run_sync(staff.list()).size(), 1u) << "a user again is staff no more";
}

}  // namespace
}  // namespace b2w::test
