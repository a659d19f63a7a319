#pragma once
// Builds each SQL backend for the conformance suite.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/blocking.hpp"
#include "pg_server.hpp"
#include "process.hpp"
#include "store/db/database.hpp"
#include "store/db/postgres_database.hpp"
#include "store/db/sqlite_database.hpp"

namespace b2w::test {

// Runs a coroutine to completion from a plain test body.
using app::run_blocking;
template <typename T>
T run_sync(boost::asio::awaitable<T> op) {
  return run_blocking(std::move(op));
}

// One PostgreSQL server for the whole test program (started on first use).
PgServer& shared_pg();

enum class Backend { sqlite, postgres };
inline std::string backend_name(Backend b) {
  return b == Backend::sqlite ? "sqlite" : "postgres";
}

// A fresh, empty database of the given kind; each call gets its own.
struct FreshDatabase {
  std::string dir;
  std::string url;  // postgres only
  std::unique_ptr<store::Database> db;
  ~FreshDatabase() {
    db.reset();
    if (!dir.empty()) remove_tree(dir);
  }
};
std::unique_ptr<FreshDatabase> fresh_database(Backend backend, int pool_max = 8);
std::unique_ptr<store::Database> open_database(Backend backend, const FreshDatabase& existing, int pool_max = 8);

// For repository tests: a fresh, migrated database of the test's backend with one user (`user_`).
class StoreWithUser : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  std::unique_ptr<FreshDatabase> fresh_;
  store::Database* db_ = nullptr;
  std::string user_;
};

}  // namespace b2w::test
