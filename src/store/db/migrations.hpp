#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/db/database.hpp"

namespace b2w::store {

// A file of migrations/: "NNN_name.sql" for both databases, or
// "NNN_name.sqlite.sql" / "NNN_name.postgres.sql" where they differ.
struct MigrationFile {
  const char* file_name;
  const char* sql;
};
const std::vector<MigrationFile>& migration_files();  // generated at build time

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// The migrations for one dialect, in version order; throws on a malformed set
// (bad name, duplicate version, a dialect file without its pair).
std::vector<Migration> migrations_for(Dialect dialect, const std::vector<MigrationFile>& files = migration_files());

struct MigrationReport {
  int schema_version = 0;  // the highest applied version after the run
  int applied = 0;         // applied by this run
};

// Applies the missing migrations in one transaction. Two processes starting at
// once never both apply one: PostgreSQL takes an advisory lock, SQLite's write
// transaction excludes other writers; the second sees the first's work.
Awaitable<MigrationReport> migrate(Database& db);

// The schema version recorded in the database (0 when never migrated).
Awaitable<int> schema_version(Database& db);

// The schema is older than this build's and the login may not migrate it (MIGRATE_ON_START=false).
class OutdatedSchema : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What every command but `migrate` does first: applies the missing migrations (apply_missing), or only
// checks that none is missing (throws OutdatedSchema), where the login may not change the schema.
Awaitable<MigrationReport> ensure_schema(Database& db, bool apply_missing);

// The PostgreSQL advisory lock migrations hold; whatever changes the schema's ownership holds it too.
inline constexpr std::int64_t kMigrationLockId = 0x6232775f6d6967;  // "b2w_mig"

}  // namespace b2w::store
