#include "store/db/login_roles.hpp"

#include <stdexcept>
#include <utility>

#include "security/scram.hpp"
#include "store/db/migrations.hpp"

namespace b2w::store {
namespace {

// A role name PostgreSQL takes without surprises (format's %I quotes whatever it is given; this keeps
// the names the secrets hold plain).
bool plain_role_name(const std::string& name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return name.front() < '0' || name.front() > '9';
}

// Statements are built by the server (format's %I and %L quote names and literals), then run.
Awaitable<void> run_built(Tx& tx, const Result& built) {
  for (const auto& row : built.rows) co_await tx.exec_script(row.str(0));
}

Awaitable<bool> upsert_role(Tx& tx, const std::string& name, const std::string& verifier) {
  const auto existing = co_await tx.exec("SELECT 1 FROM pg_roles WHERE rolname = $1", name);
  const bool create = existing.empty();
  const char* sql = create ? "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', $1::text, $2::text)"
                           : "SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', $1::text, $2::text)";
  const auto built = co_await tx.exec(sql, name, verifier);
  co_await run_built(tx, built);
  co_return create;
}

}  // namespace

LoginRoles login_roles(std::string app_user, std::string_view app_password, std::string migrator_user,
                       std::string_view migrator_password) {
  for (const auto* name : {&app_user, &migrator_user})
    if (!plain_role_name(*name))
      throw std::invalid_argument("a role name must be 1 to 63 of a-z, 0-9 and _, not starting with a digit");
  if (app_user == migrator_user) throw std::invalid_argument("the app and migrator roles must differ");
  return LoginRoles{.app_user = std::move(app_user),
                    .app_verifier = security::scram_sha256_verifier(app_password),
                    .migrator_user = std::move(migrator_user),
                    .migrator_verifier = security::scram_sha256_verifier(migrator_password)};
}

Awaitable<LoginRolesReport> provision_login_roles(Database& db, LoginRoles roles) {
  if (db.dialect() != Dialect::postgres)
    throw std::invalid_argument("login roles need PostgreSQL (DATABASE_URL or DB_HOST), not the embedded store");

  co_return co_await transaction(db, [&](Tx& tx) -> Awaitable<LoginRolesReport> {
    LoginRolesReport report;
    // Ownership moves while no migration runs.
    co_await tx.exec("SELECT pg_advisory_xact_lock($1)", kMigrationLockId);
    const std::string& migrator = roles.migrator_user;
    const std::string& app = roles.app_user;
    if (co_await upsert_role(tx, migrator, roles.migrator_verifier)) ++report.roles_created;
    if (co_await upsert_role(tx, app, roles.app_verifier)) ++report.roles_created;

    // The master user hands objects to the migrator: on RDS it must be a member of the role it gives them to.
    const auto membership = co_await tx.exec(
        "SELECT format('GRANT %I TO CURRENT_USER', $1::text) WHERE NOT pg_has_role(CURRENT_USER, $1::text, 'MEMBER')",
        migrator);
    co_await run_built(tx, membership);
    const auto connect = co_await tx.exec(
        "SELECT format('GRANT CONNECT ON DATABASE %I TO %I, %I', current_database(), $1::text, $2::text)", app,
        migrator);
    co_await run_built(tx, connect);
    // ALTER SCHEMA ... OWNER needs the new owner to hold CREATE on the database (superusers skip the check,
    // RDS's master user does not); the migrator is the DDL role, so it keeps it.
    const auto create =
        co_await tx.exec("SELECT format('GRANT CREATE ON DATABASE %I TO %I', current_database(), $1::text)", migrator);
    co_await run_built(tx, create);
    co_await tx.exec_script("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    const auto schema = co_await tx.exec("SELECT format('ALTER SCHEMA public OWNER TO %I', $1::text)", migrator);
    co_await run_built(tx, schema);

    // What the service created while it migrated at start, as the master user: tables first (their
    // sequences follow them), then what remains (views, sequences of no table), then functions.
    const auto tables = co_await tx.exec(
        "SELECT format('ALTER TABLE public.%I OWNER TO %I', tablename, $1::text) FROM pg_tables"
        " WHERE schemaname = 'public' AND tableowner <> $1::text ORDER BY tablename",
        migrator);
    co_await run_built(tx, tables);
    const auto relations = co_await tx.exec(
        "SELECT format('ALTER TABLE public.%I OWNER TO %I', c.relname, $1::text) FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm', 'S', 'f')"
        " AND pg_get_userbyid(c.relowner) <> $1::text ORDER BY c.relname",
        migrator);
    co_await run_built(tx, relations);
    const auto functions = co_await tx.exec(
        "SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, $1::text) FROM pg_proc p"
        " JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> $1::text ORDER BY 1",
        migrator);
    co_await run_built(tx, functions);
    report.objects_handed_over = static_cast<int>(tables.rows.size() + relations.rows.size() + functions.rows.size());

    // The app role: rows and sequences, now and of whatever the migrator creates later; no DDL.
    const auto grants = co_await tx.exec(
        "SELECT format(s, $1::text, $2::text) FROM unnest(ARRAY["
        "'GRANT USAGE ON SCHEMA public TO %I',"
        "'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I',"
        "'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I',"
        "'ALTER DEFAULT PRIVILEGES FOR ROLE %2$I IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "
        "%1$I',"
        "'ALTER DEFAULT PRIVILEGES FOR ROLE %2$I IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %1$I'"
        "]) WITH ORDINALITY AS t(s, i) ORDER BY i",
        app, migrator);
    co_await run_built(tx, grants);
    co_return report;
  });
}

}  // namespace b2w::store
