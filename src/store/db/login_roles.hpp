#pragma once
#include <string>
#include <string_view>

#include "store/db/database.hpp"

namespace b2w::store {

// The application's PostgreSQL login roles (infra/README.md, "Database roles"):
//   migrator  owns the schema public and everything in it; runs `bet2wealth migrate` (DDL)
//   app       the service: reads and writes rows, uses sequences; owns nothing, may not change the schema
// The passwords only as SCRAM-SHA-256 verifiers: they never reach the server (nor its statement log).
struct LoginRoles {
  std::string app_user;
  std::string app_verifier;
  std::string migrator_user;
  std::string migrator_verifier;
};

// Checked names (1 to 63 of a-z, 0-9, _; distinct) and the passwords' verifiers; std::invalid_argument
// for names or passwords that cannot work (empty, spaces, not ASCII), before any connection is made.
LoginRoles login_roles(std::string app_user, std::string_view app_password, std::string migrator_user,
                       std::string_view migrator_password);

struct LoginRolesReport {
  int roles_created = 0;        // the others had their password set again
  int objects_handed_over = 0;  // tables, sequences, views and functions that moved to the migrator
};

// Creates both roles, or sets their passwords again, hands the schema and whatever is in it to the migrator
// and gives the app role its privileges, now and on what the migrator creates later. Run as the RDS master
// user (CREATEROLE, not a superuser), which becomes a member of the migrator role to hand objects over.
// Idempotent; one transaction, under the migrations' lock. PostgreSQL only (std::invalid_argument otherwise).
Awaitable<LoginRolesReport> provision_login_roles(Database& db, LoginRoles roles);

}  // namespace b2w::store
