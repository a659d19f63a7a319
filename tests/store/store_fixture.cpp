#include "store_fixture.hpp"

#include <atomic>

#include "store/db/migrations.hpp"
#include "store/users.hpp"

namespace b2w::test {

PgServer& shared_pg() {
  static PgServer server;
  return server;
}

std::unique_ptr<store::Database> open_database(Backend backend, const FreshDatabase& existing, int pool_max) {
  if (backend == Backend::sqlite) return std::make_unique<store::SqliteDatabase>(existing.dir + "/test.db");
  store::PostgresDatabase::Options options;
  options.url = existing.url;
  options.pool_max = pool_max;
  options.pool_min = 0;
  options.acquire_timeout = std::chrono::seconds(3);
  options.query_timeout = std::chrono::seconds(5);
  return std::make_unique<store::PostgresDatabase>(options);
}

std::unique_ptr<FreshDatabase> fresh_database(Backend backend, int pool_max) {
  static std::atomic<int> counter{0};
  auto fresh = std::make_unique<FreshDatabase>();
  if (backend == Backend::sqlite) {
    fresh->dir = make_temp_dir("b2w-sqlite");
  } else {
    const std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1));
    shared_pg().create_database(name);
    fresh->url = shared_pg().url(name);
  }
  fresh->db = open_database(backend, *fresh, pool_max);
  return fresh;
}

void StoreWithUser::SetUp() {
  fresh_ = fresh_database(GetParam());
  db_ = fresh_->db.get();
  run_sync(store::migrate(*db_));
  store::UserRepository users(*db_);
  user_ = run_sync(users.create("store-user@example.ng", "x", std::nullopt, std::nullopt)).id;
}

}  // namespace b2w::test
