#pragma once
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

}  // namespace b2w::store
