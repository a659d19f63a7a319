#include "app/database_commands.hpp"

#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "app/blocking.hpp"
#include "observability/log.hpp"
#include "store/db/factory.hpp"
#include "store/db/login_roles.hpp"
#include "store/db/migrations.hpp"

namespace b2w::app {

int migrate_command(const config::Config& config) {
  try {
    auto db = store::make_database(config);
    const auto report = run_blocking(store::migrate(*db));
    log::info("migrations applied").num("applied", report.applied).num("schema_version", report.schema_version);
    log::flush();
    return 0;
  } catch (const std::exception& e) {
    log::error("migration failed").str("error", e.what());
    log::flush();
    return 1;
  }
}

int db_roles_command(const config::Config& config) {
  const auto refuse = [](const std::string& why) {
    log::error("db-roles refused").str("error", why);
    log::flush();
    return 2;
  };
  if (!config.database_url)
    return refuse("login roles need PostgreSQL (DATABASE_URL or DB_HOST), not the embedded store");
  if (config.db_app_password.empty() || config.db_migrator_password.empty())
    return refuse("DB_APP_PASSWORD and DB_MIGRATOR_PASSWORD are required (the login-role secrets' passwords)");
  std::optional<store::LoginRoles> roles;
  try {
    roles = store::login_roles(config.db_app_user, config.db_app_password, config.db_migrator_user,
                               config.db_migrator_password);
  } catch (const std::invalid_argument& e) {
    return refuse(e.what());
  }
  try {
    auto db = store::make_database(config);
    const auto report = run_blocking(store::provision_login_roles(*db, std::move(*roles)));
    log::info("database login roles ready")
        .str("app", config.db_app_user)
        .str("migrator", config.db_migrator_user)
        .num("roles_created", report.roles_created)
        .num("objects_handed_over", report.objects_handed_over);
    log::flush();
    return 0;
  } catch (const std::exception& e) {
    log::error("db-roles failed").str("error", e.what());
    log::flush();
    return 1;
  }
}

}  // namespace b2w::app
