#include "store/db/migrations.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <stdexcept>

namespace b2w::store {
namespace {

struct ParsedName {
  int version = 0;
  std::string name;
  std::string dialect;  // "", "sqlite" or "postgres"
};

ParsedName parse_name(const std::string& file) {
  ParsedName p;
  const auto underscore = file.find('_');
  if (underscore == std::string::npos || file.size() < 5 || file.substr(file.size() - 4) != ".sql")
    throw std::invalid_argument("migration file name must be NNN_name.sql: " + file);
  auto [ptr, ec] = std::from_chars(file.data(), file.data() + underscore, p.version);
  if (ec != std::errc() || ptr != file.data() + underscore || p.version <= 0)
    throw std::invalid_argument("migration file name must start with a positive number: " + file);
  std::string stem = file.substr(underscore + 1, file.size() - underscore - 5);
  for (const char* d : {"sqlite", "postgres"}) {
    const std::string suffix = std::string(".") + d;
    if (stem.size() > suffix.size() && stem.substr(stem.size() - suffix.size()) == suffix) {
      p.dialect = d;
      stem.resize(stem.size() - suffix.size());
    }
  }
  p.name = stem;
  return p;
}

}  // namespace

std::vector<Migration> migrations_for(Dialect dialect, const std::vector<MigrationFile>& files) {
  const std::string mine = dialect == Dialect::sqlite ? "sqlite" : "postgres";
  std::map<int, Migration> common, specific;
  std::map<int, std::set<std::string>> dialects_seen;
  for (const auto& f : files) {
    const auto p = parse_name(f.file_name);
    auto& target = p.dialect.empty() ? common : specific;
    dialects_seen[p.version].insert(p.dialect);
    if (p.dialect.empty() || p.dialect == mine) {
      if (target.count(p.version))
        throw std::invalid_argument("duplicate migration version " + std::to_string(p.version));
      target[p.version] = Migration{p.version, p.name, f.sql};
    }
  }
  for (const auto& [version, seen] : dialects_seen) {
    if (seen.count("") && seen.size() > 1)
      throw std::invalid_argument("migration " + std::to_string(version) + " has both a shared and a dialect file");
    if (!seen.count("") && seen.size() != 2)
      throw std::invalid_argument("migration " + std::to_string(version) + " needs both .sqlite.sql and .postgres.sql");
  }
  std::vector<Migration> out;
  for (auto& [v, m] : common) out.push_back(std::move(m));
  for (auto& [v, m] : specific) out.push_back(std::move(m));
  std::sort(out.begin(), out.end(), [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

Awaitable<MigrationReport> migrate(Database& db) {
  co_return co_await transaction(db, [&](Tx& tx) -> Awaitable<MigrationReport> {
    if (tx.dialect() == Dialect::postgres) co_await tx.exec("SELECT pg_advisory_xact_lock($1)", kMigrationLockId);
    co_await tx.exec_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    std::set<std::int64_t> applied;
    for (const auto& row : (co_await tx.exec("SELECT version FROM schema_migrations")).rows) applied.insert(row.i64(0));
    MigrationReport report;
    for (const auto& m : migrations_for(tx.dialect())) {
      if (applied.count(m.version)) continue;
      co_await tx.exec_script(m.sql);
      co_await tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", m.version,
                       m.name, now_micros());
      applied.insert(m.version);
      ++report.applied;
    }
    report.schema_version = applied.empty() ? 0 : static_cast<int>(*applied.rbegin());
    co_return report;
  });
}

Awaitable<int> schema_version(Database& db) {
  try {
    auto result = co_await db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    co_return static_cast<int>(result.one().i64(0));
  } catch (const QueryError&) {
    co_return 0;  // no schema_migrations table yet
  }
}

Awaitable<MigrationReport> ensure_schema(Database& db, bool apply_missing) {
  if (apply_missing) co_return co_await migrate(db);
  MigrationReport report;
  report.schema_version = co_await schema_version(db);
  const int expected = migrations_for(db.dialect()).back().version;
  if (report.schema_version < expected)
    throw OutdatedSchema("the database schema (version " + std::to_string(report.schema_version) +
                         ") is older than this build's (" + std::to_string(expected) +
                         "): run `bet2wealth migrate` first");
  co_return report;
}

}  // namespace b2w::store
