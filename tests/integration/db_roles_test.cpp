// The least-privileged PostgreSQL logins of AWS (infra/README.md, "Database roles"), end to end on a real
// server: `bet2wealth db-roles` as a master user that is not a superuser (as on RDS), `bet2wealth migrate`
// as the migrator, the service and its commands as the app role with MIGRATE_ON_START=false. Both roles
// log in with SCRAM passwords (pg_hba), so the verifiers db-roles sets are checked by PostgreSQL itself.
#include <gtest/gtest.h>

#include <string>

#include "harness.hpp"
#include "pg_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kAppPassword = "AppPassw0rdFromTheSecret";
constexpr const char* kMigratorPassword = "MigratorPassw0rdFromTheSecret";

PgServer::Options scram_logins() {
  return PgServer::Options{.password_roles = {"bet2wealth_app", "bet2wealth_migrator"}};
}

// A database owned by `master`, which may create roles but is no superuser (RDS's master user).
void create_master_database(PgServer& pg, const std::string& db) {
  ASSERT_EQ(pg.psql("postgres",
                    "DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'master') THEN "
                    "CREATE ROLE master LOGIN CREATEROLE; END IF; END$$"),
            0);
  ASSERT_EQ(pg.psql("postgres", "CREATE DATABASE " + db + " OWNER master"), 0);
}

std::string login_url(const PgServer& pg, const std::string& user, const std::string& password, const std::string& db) {
  return "postgresql://" + user + (password.empty() ? "" : ":" + password) + "@127.0.0.1:" + std::to_string(pg.port()) +
         "/" + db;
}

RunResult db_roles(const PgServer& pg, const std::string& db) {
  return run_binary({{"DATABASE_URL", login_url(pg, "master", "", db)},
                     {"DB_APP_PASSWORD", kAppPassword},
                     {"DB_MIGRATOR_PASSWORD", kMigratorPassword}},
                    {"db-roles"}, 30s);
}

// psql exits non-zero when the DO block raises: a check PostgreSQL evaluates.
int holds(const PgServer& pg, const std::string& db, const std::string& condition) {
  return pg.psql(db, "DO $$BEGIN IF NOT (" + condition + ") THEN RAISE EXCEPTION 'does not hold'; END IF; END$$");
}

// What the app role may do and what it may not, and that the migrator owns everything.
void expect_least_privilege(const PgServer& pg, const std::string& db) {
  EXPECT_EQ(holds(pg, db,
                  "NOT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' "
                  "AND tableowner <> 'bet2wealth_migrator')"),
            0)
      << "a table not owned by the migrator";
  EXPECT_EQ(holds(pg, db,
                  "NOT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                  "WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> 'bet2wealth_migrator')"),
            0)
      << "a function not owned by the migrator";
  EXPECT_EQ(
      holds(pg, db,
            "pg_get_userbyid((SELECT nspowner FROM pg_namespace WHERE nspname = 'public')) = 'bet2wealth_migrator'"),
      0);
  EXPECT_EQ(pg.psql(db, "SET ROLE bet2wealth_app; SELECT count(*) FROM users; UPDATE users SET email = email"), 0);
  EXPECT_NE(pg.psql(db, "SET ROLE bet2wealth_app; CREATE TABLE intruder (id int)"), 0);
  EXPECT_NE(pg.psql(db, "SET ROLE bet2wealth_app; DROP TABLE ledger_entries"), 0);
  EXPECT_NE(pg.psql(db, "SET ROLE bet2wealth_app; ALTER TABLE users ADD COLUMN intruder int"), 0);
  EXPECT_NE(pg.psql(db, "SET ROLE bet2wealth_app; TRUNCATE users CASCADE"), 0);
}

// The app role's commands and service, which no longer migrate.
void expect_the_app_role_runs(const PgServer& pg, const std::string& db) {
  const Env app{{"DATABASE_URL", login_url(pg, "bet2wealth_app", kAppPassword, db)}, {"MIGRATE_ON_START", "false"}};
  auto admin =
      run_binary(app, {"admin", "create", "--email", "ops@" + db + ".example.ng"}, 30s, "a-long-admin-passphrase-42\n");
  EXPECT_EQ(admin.status, 0) << admin.out << admin.err;
  auto verify = run_binary(app, {"ledger", "verify"}, 30s);
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
  ServerProcess server(app);
  ASSERT_TRUE(server.started()) << server.stdout_text() << server.stderr_text();
  EXPECT_NE(server.stdout_text().find("\"migrations_applied\":0"), std::string::npos) << server.stdout_text();
}

}  // namespace

TEST(DbRoles, FreshDatabaseMigratedByTheMigratorServedByTheApp) {
  PgServer pg(scram_logins());
  create_master_database(pg, "fresh");

  auto first = db_roles(pg, "fresh");
  ASSERT_EQ(first.status, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("\"roles_created\":2"), std::string::npos) << first.out;
  EXPECT_EQ((first.out + first.err).find(kAppPassword), std::string::npos) << "a password in the output";
  // The server stores verifiers only; the passwords never reached it.
  EXPECT_EQ(holds(pg, "fresh",
                  "(SELECT bool_and(rolpassword LIKE 'SCRAM-SHA-256$4096:%') FROM pg_authid "
                  "WHERE rolname IN ('bet2wealth_app', 'bet2wealth_migrator'))"),
            0);
  auto again = db_roles(pg, "fresh");
  ASSERT_EQ(again.status, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("\"roles_created\":0"), std::string::npos) << again.out;

  // A wrong password is refused by PostgreSQL (SCRAM), the right one migrates.
  auto wrong = run_binary({{"DATABASE_URL", login_url(pg, "bet2wealth_migrator", "not-the-password", "fresh")}},
                          {"migrate"}, 30s);
  EXPECT_EQ(wrong.status, 1) << wrong.out << wrong.err;
  auto migrated = run_binary({{"DATABASE_URL", login_url(pg, "bet2wealth_migrator", kMigratorPassword, "fresh")}},
                             {"migrate"}, 60s);
  ASSERT_EQ(migrated.status, 0) << migrated.out << migrated.err;
  EXPECT_EQ(migrated.out.find("\"applied\":0"), std::string::npos) << migrated.out;

  // The app role cannot migrate (no DDL), so it does not try: the service starts on the migrated schema.
  auto app_migrates =
      run_binary({{"DATABASE_URL", login_url(pg, "bet2wealth_app", kAppPassword, "fresh")}}, {"migrate"}, 30s);
  EXPECT_EQ(app_migrates.status, 1) << app_migrates.out;
  expect_least_privilege(pg, "fresh");
  expect_the_app_role_runs(pg, "fresh");
}

// An environment whose service migrated at start as the master user: db-roles hands every table, sequence
// and function to the migrator, after which the app role serves and the migrator migrates.
TEST(DbRoles, TakesOverWhatTheMasterUserCreated) {
  PgServer pg(scram_logins());
  create_master_database(pg, "legacy");
  auto as_master = run_binary({{"DATABASE_URL", login_url(pg, "master", "", "legacy")}}, {"migrate"}, 60s);
  ASSERT_EQ(as_master.status, 0) << as_master.out << as_master.err;

  auto roles = db_roles(pg, "legacy");
  ASSERT_EQ(roles.status, 0) << roles.out << roles.err;
  EXPECT_EQ(roles.out.find("\"objects_handed_over\":0"), std::string::npos) << roles.out;
  expect_least_privilege(pg, "legacy");

  auto migrated = run_binary({{"DATABASE_URL", login_url(pg, "bet2wealth_migrator", kMigratorPassword, "legacy")}},
                             {"migrate"}, 60s);
  EXPECT_EQ(migrated.status, 0) << migrated.out << migrated.err;
  // A table the migrator creates later is the app role's to use (default privileges).
  ASSERT_EQ(pg.psql("legacy", "SET ROLE bet2wealth_migrator; CREATE TABLE later (id BIGINT PRIMARY KEY)"), 0);
  EXPECT_EQ(pg.psql("legacy", "SET ROLE bet2wealth_app; INSERT INTO later VALUES (1)"), 0);
  expect_the_app_role_runs(pg, "legacy");
}

TEST(DbRoles, RefusesWhatCannotWork) {
  auto no_passwords = run_binary({{"DATABASE_URL", "postgresql://master@127.0.0.1:1/none"}}, {"db-roles"}, 10s);
  EXPECT_EQ(no_passwords.status, 2);
  EXPECT_NE(no_passwords.out.find("DB_APP_PASSWORD"), std::string::npos) << no_passwords.out;
  auto embedded = run_binary({{"DATA_DIR", "/tmp/b2w-db-roles-embedded"},
                              {"DB_APP_PASSWORD", kAppPassword},
                              {"DB_MIGRATOR_PASSWORD", kMigratorPassword}},
                             {"db-roles"}, 10s);
  EXPECT_EQ(embedded.status, 2);
  EXPECT_NE(embedded.out.find("PostgreSQL"), std::string::npos) << embedded.out;
  auto spaces = run_binary({{"DATABASE_URL", "postgresql://master@127.0.0.1:1/none"},
                            {"DB_APP_PASSWORD", "two words"},
                            {"DB_MIGRATOR_PASSWORD", kMigratorPassword}},
                           {"db-roles"}, 10s);
  EXPECT_EQ(spaces.status, 2) << spaces.out;
  EXPECT_EQ(spaces.out.find("two words"), std::string::npos) << "a password in the output";
}
