#pragma once
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>

#include "store/db/database.hpp"
#include "store/db/strand_lock.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace b2w::store {

// Embedded SQLite (WAL, synchronous=FULL: a commit is on disk before it is
// acknowledged). Every call runs on one dedicated thread, never on an HTTP I/O
// thread; that thread is the only writer, so writers queue instead of meeting
// "database is locked".
class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(const std::string& path);
  ~SqliteDatabase() override;

  Dialect dialect() const override { return Dialect::sqlite; }
  Awaitable<void> run_transaction(std::function<Awaitable<void>(Tx&)> body) override;
  Awaitable<Result> execute(std::string sql, std::vector<Value> params) override;
  Awaitable<Probe> probe() override;

 private:
  class SqliteTx;
  Result run_statement(std::string_view sql, const std::vector<Value>& params);
  void run_script(std::string_view sql);
  sqlite3_stmt* prepare(std::string_view sql);
  Awaitable<void> transaction_on_thread(std::function<Awaitable<void>(Tx&)>& body);

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
  StrandLock lock_;
  boost::asio::io_context ctx_{1};
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
  std::thread thread_;
};

}  // namespace b2w::store
