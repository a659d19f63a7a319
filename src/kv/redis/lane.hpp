#pragma once
// Connections on one io_context, used only from its thread: the store's own lane, and one per
// attached I/O thread, whose calls then never leave that thread.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <future>
#include <memory>

#include "kv/redis/increment_coalescer.hpp"
#include "kv/redis/pool.hpp"

namespace b2w::kv::redis {

class Commands;

struct Lane {
  Lane(boost::asio::io_context& c, std::shared_ptr<const ConnectionSettings> s, PoolOptions o, Commands& commands);

  // On the lane's thread: stops the sweep, closes the connections and fails the increments
  // still waiting to be sent.
  void close();
  // close() from another thread, for an attached I/O thread's lane when the store goes. Normally
  // its io_context has stopped already (the server stops before the store goes): then nothing runs
  // there any more and the lane is closed from here. Still running: closed on its thread, and the
  // sweep loop is waited for.
  void stop();

  boost::asio::io_context& ctx;
  Pool pool;
  boost::asio::steady_timer sweep_timer;
  std::promise<void> sweep_done;  // set when the sweep loop has ended (attached lanes)
  std::atomic<bool> ran{false};   // the sweep loop has started: a thread runs ctx
  // Copies of the pool's counters for stats() from other threads, refreshed by the sweep.
  std::atomic<std::size_t> open{0};
  std::atomic<std::uint64_t> connects{0};
  // increment_each() calls on the same keys and TTL, coalesced.
  IncrementCoalescer increments;
};

}  // namespace b2w::kv::redis
