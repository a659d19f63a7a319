#include "store/db/factory.hpp"

#include "store/db/postgres_database.hpp"
#include "store/db/sqlite_database.hpp"

namespace b2w::store {

std::unique_ptr<Database> make_database(const config::Config& config) {
  if (config.database_url) {
    PostgresDatabase::Options options;
    options.url = *config.database_url;
    options.pool_max = config.db_pool_max;
    options.pool_min = config.db_pool_min;
    options.acquire_timeout = config.db_acquire_timeout;
    options.query_timeout = config.db_query_timeout;
    return std::make_unique<PostgresDatabase>(std::move(options));
  }
  return std::make_unique<SqliteDatabase>(config.data_dir + "/bet2wealth.db");
}

}  // namespace b2w::store
