#pragma once
// The connections commands are spread over. Each connection multiplexes many commands
// (pipelining), so the pool stays small: it opens another connection only when every open
// one is busy, keeps at least `min` open, closes idle ones above `min`, and never exceeds `max`.
// Runs on its lane's io_context only (lane.hpp).
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "kv/redis/connection.hpp"

namespace b2w::kv::redis {

struct PoolOptions {
  int min = 1;
  int max = 10;
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds connect_timeout{2'000};
  // Open another connection when the least busy one has this many commands in flight.
  std::size_t busy_threshold = 128;
  // After a failed connect, new connects wait (and callers fail at once) for a backoff
  // that doubles from `backoff_min` up to `backoff_max`.
  std::chrono::milliseconds backoff_min{50};
  std::chrono::milliseconds backoff_max{1'000};
};

struct Acquired {
  std::shared_ptr<Connection> connection;  // null when none
  std::string error;                       // why not
};

class Pool {
 public:
  Pool(boost::asio::io_context& ctx, std::shared_ptr<const ConnectionSettings> settings, PoolOptions options);
  ~Pool();

  // A ready connection, waiting until `deadline` for one to open. While the server is known
  // to be unreachable (a connect failed within the backoff) it answers at once with the error.
  boost::asio::awaitable<Acquired> acquire(Clock::time_point deadline);

  // Timeouts, idle closing, keeping `min` open. Called every few milliseconds.
  void sweep(Clock::time_point now);
  // The server is no longer the primary: every open connection takes no new commands.
  void retire_all();
  void close_all(const std::string& detail);
  // Connections kept open from now on (the sweep closes idle ones above it).
  void set_min(int min) { options_.min = min; }

  std::size_t open_connections() const { return ready_.size(); }
  std::size_t connecting() const { return connecting_.size(); }
  std::uint64_t connects() const { return connects_; }

 private:
  using WaitHandler = boost::asio::any_completion_handler<void(Acquired)>;
  struct Waiter {
    WaitHandler handler;
    Clock::time_point deadline;
  };

  std::shared_ptr<Connection> pick();
  void start_connect();
  boost::asio::awaitable<void> connect_task(std::shared_ptr<Connection> connection);
  void wake_waiters(const Acquired& result);
  void drop_closed();

  boost::asio::io_context& ctx_;
  std::shared_ptr<const ConnectionSettings> settings_;
  PoolOptions options_;
  std::vector<std::shared_ptr<Connection>> ready_;
  std::vector<std::shared_ptr<Connection>> connecting_;
  std::deque<Waiter> waiters_;
  Clock::time_point next_connect_at_ = Clock::time_point::min();
  std::string last_error_ = "not connected";
  int failures_ = 0;
  bool down_logged_ = false;
  bool closed_ = false;
  std::uint64_t connects_ = 0;
};

}  // namespace b2w::kv::redis
