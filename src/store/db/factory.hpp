#pragma once
#include <memory>

#include "config/config.hpp"
#include "store/db/database.hpp"

namespace b2w::store {

// PostgreSQL when DATABASE_URL is set, else embedded SQLite under DATA_DIR.
std::unique_ptr<Database> make_database(const config::Config& config);

}  // namespace b2w::store
