#include "store/db/sqlite_database.hpp"

#include <sqlite3.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>

#include "util/unavailable.hpp"

namespace b2w::store {

namespace asio = boost::asio;

class SqliteDatabase::SqliteTx final : public Tx {
 public:
  explicit SqliteTx(SqliteDatabase& db) : db_(db) {}
  Awaitable<Result> execute(std::string_view sql, std::vector<Value> params) override {
    co_return db_.run_statement(sql, params);
  }
  Awaitable<std::vector<Result>> execute_together(std::vector<Statement> statements) override {
    std::vector<Result> results;
    for (const auto& st : statements) results.push_back(db_.run_statement(st.sql, st.params));
    co_return results;
  }
  Awaitable<void> defer(std::string_view sql, std::vector<Value> params) override {
    co_await execute(sql, std::move(params));  // in process: nothing to save by waiting
  }
  Awaitable<void> defer_expecting(std::int64_t rows, std::string_view sql, std::vector<Value> params) override {
    const auto result = db_.run_statement(sql, params);
    if (result.affected != rows)
      throw UnexpectedRowCount("a conditional write changed " + std::to_string(result.affected) + " rows, not " +
                               std::to_string(rows));
    co_return;
  }
  Awaitable<void> exec_script(std::string_view sql) override {
    db_.run_script(sql);
    co_return;
  }
  Dialect dialect() const override { return Dialect::sqlite; }

 private:
  SqliteDatabase& db_;
};

namespace {

// SQLite has no row locks (and needs none: one writer); the shared SQL says FOR UPDATE, or ends
// with FOR SHARE OF ..., for PostgreSQL (FOR NO KEY UPDATE and SKIP LOCKED too).
std::string for_sqlite(std::string_view sql) {
  std::string out(sql);
  for (auto pos = out.find(" FOR NO KEY UPDATE"); pos != std::string::npos; pos = out.find(" FOR NO KEY UPDATE", pos))
    out.erase(pos, 18);
  for (auto pos = out.find(" FOR UPDATE"); pos != std::string::npos; pos = out.find(" FOR UPDATE", pos))
    out.erase(pos, 11);
  for (auto pos = out.find(" SKIP LOCKED"); pos != std::string::npos; pos = out.find(" SKIP LOCKED", pos))
    out.erase(pos, 12);
  if (const auto pos = out.find(" FOR SHARE"); pos != std::string::npos) out.erase(pos);
  return out;
}

[[noreturn]] void raise(sqlite3* db, int rc) {
  const std::string message = sqlite3_errmsg(db);
  const int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) throw ConstraintViolation(message);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) throw TransientConflict(message);
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY)
    throw ServiceUnavailable("database", message);
  throw QueryError(message);
}

}  // namespace

SqliteDatabase::SqliteDatabase(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  const int rc =
      sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw ServiceUnavailable("database", "cannot open " + path + ": " + message);
  }
  // Another process (bet2wealth migrate, ledger verify) may briefly hold the file.
  sqlite3_busy_timeout(db_, 5000);
  run_script("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  guard_ = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(ctx_.get_executor());
  thread_ = std::thread([this] { ctx_.run(); });
}

SqliteDatabase::~SqliteDatabase() {
  guard_.reset();
  ctx_.stop();
  if (thread_.joinable()) thread_.join();
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

sqlite3_stmt* SqliteDatabase::prepare(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it != statements_.end()) return it->second;
  const std::string text = for_sqlite(sql);
  sqlite3_stmt* stmt = nullptr;
  const int rc =
      sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) raise(db_, rc);
  statements_.emplace(std::string(sql), stmt);
  return stmt;
}

Result SqliteDatabase::run_statement(std::string_view sql, const std::vector<Value>& params) {
  sqlite3_stmt* stmt = prepare(sql);
  struct Reset {
    sqlite3_stmt* s;
    ~Reset() {
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
    }
  } reset{stmt};

  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string name = "$" + std::to_string(i + 1);
    const int index = sqlite3_bind_parameter_index(stmt, name.c_str());
    if (index == 0) continue;  // the statement does not use this parameter
    int rc = SQLITE_OK;
    if (auto* n = std::get_if<std::int64_t>(&params[i]))
      rc = sqlite3_bind_int64(stmt, index, *n);
    else if (auto* s = std::get_if<std::string>(&params[i]))
      rc = sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
    else
      rc = sqlite3_bind_null(stmt, index);
    if (rc != SQLITE_OK) raise(db_, rc);
  }

  Result result;
  const int columns = sqlite3_column_count(stmt);
  for (;;) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) raise(db_, rc);
    std::vector<std::optional<std::string>> cells;
    cells.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
        cells.emplace_back(std::nullopt);
      } else {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        cells.emplace_back(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
      }
    }
    result.rows.emplace_back(std::move(cells));
  }
  result.affected = sqlite3_changes64(db_);
  return result;
}

void SqliteDatabase::run_script(std::string_view sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    sqlite3_free(error);
    raise(db_, rc);
  }
}

Awaitable<void> SqliteDatabase::transaction_on_thread(std::function<Awaitable<void>(Tx&)>& body) {
  co_await lock_.lock();
  struct Unlock {
    StrandLock& l;
    ~Unlock() { l.unlock(); }
  } unlock{lock_};
  for (int attempt = 1;; ++attempt) {
    bool conflict = false;
    std::exception_ptr failure;
    run_script("BEGIN IMMEDIATE");
    try {
      SqliteTx tx(*this);
      co_await body(tx);
      run_script("COMMIT");
      co_return;
    } catch (const TransientConflict&) {
      conflict = attempt < kMaxAttempts;
      failure = std::current_exception();
    } catch (...) {
      failure = std::current_exception();
    }
    if (!sqlite3_get_autocommit(db_)) run_script("ROLLBACK");
    if (!conflict) std::rethrow_exception(failure);
  }
}

Awaitable<void> SqliteDatabase::run_transaction(std::function<Awaitable<void>(Tx&)> body) {
  co_await asio::co_spawn(ctx_, transaction_on_thread(body), asio::use_awaitable);
}

Awaitable<Result> SqliteDatabase::execute(std::string sql, std::vector<Value> params) {
  co_return co_await asio::co_spawn(
      ctx_,
      [&]() -> Awaitable<Result> {
        // Behind the lock: a suspended transaction must not see this statement run inside it.
        co_await lock_.lock();
        struct Unlock {
          StrandLock& l;
          ~Unlock() { l.unlock(); }
        } unlock{lock_};
        co_return run_statement(sql, params);
      },
      asio::use_awaitable);
}

Awaitable<Probe> SqliteDatabase::probe() {
  const auto started = std::chrono::steady_clock::now();
  try {
    co_await query("SELECT 1");
  } catch (...) {
    co_return Probe{false, std::chrono::microseconds(0)};
  }
  co_return Probe{true,
                  std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started)};
}

}  // namespace b2w::store
