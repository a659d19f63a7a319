#pragma once
#include "config/config.hpp"

namespace b2w::app {

// bet2wealth migrate: applies the missing migrations and exits (0, or 1 on failure). In AWS a one-off
// task runs it as the migrator role before each deploy (infra/README.md, "Deploying").
int migrate_command(const config::Config& config);

// bet2wealth db-roles: as the RDS master user, creates or updates the app and migrator login roles
// (DB_APP_USER / DB_APP_PASSWORD, DB_MIGRATOR_USER / DB_MIGRATOR_PASSWORD) and their privileges
// (store/db/login_roles.hpp). Exits 0, 1 when PostgreSQL refuses, 2 when the configuration cannot work.
int db_roles_command(const config::Config& config);

}  // namespace b2w::app
