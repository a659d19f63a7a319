#pragma once
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <unordered_set>

#include "store/db/database.hpp"

namespace b2w::store {

// PostgreSQL through libpq in non-blocking mode, driven by Asio (PQsocket +
// async waits): no call ever blocks a thread on the network. Connections and
// transaction bodies live on one dedicated thread; the pool hands connections
// to waiters in order, with an acquire timeout. DNS is resolved asynchronously
// on every connect (a failed-over RDS endpoint moves), TLS per sslmode/sslrootcert.
class PostgresDatabase final : public Database {
 public:
  struct Options {
    std::string url;
    int pool_max = 10;
    int pool_min = 1;
    std::chrono::milliseconds acquire_timeout{5000};
    std::chrono::milliseconds query_timeout{10000};
  };

  explicit PostgresDatabase(Options options);
  ~PostgresDatabase() override;

  Dialect dialect() const override { return Dialect::postgres; }
  Awaitable<void> run_transaction(std::function<Awaitable<void>(Tx&)> body) override;
  Awaitable<Result> execute(std::string sql, std::vector<Value> params) override;
  Awaitable<Probe> probe() override;

  class Connection;

 private:
  class PgTx;
  struct Waiter;
  using Clock = std::chrono::steady_clock;

  Awaitable<std::unique_ptr<Connection>> acquire();
  void release(std::unique_ptr<Connection> conn);
  Awaitable<void> transaction_on_thread(std::function<Awaitable<void>(Tx&)>& body);
  Awaitable<void> warm_up();
  Awaitable<void> sweep_deadlines();

  Options options_;
  std::deque<std::unique_ptr<Connection>> idle_;
  std::deque<Waiter*> waiters_;
  std::unordered_set<Connection*> connections_;  // every open connection, for the deadline sweeper
  int open_ = 0;
  boost::asio::io_context ctx_{1};
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
  std::thread thread_;
};

}  // namespace b2w::store
