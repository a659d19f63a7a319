#pragma once
// The Redis implementation of KeyValueStore (ElastiCache in AWS): the project's own RESP2
// client over Asio, plain TCP or TLS.
//
// The store owns one io_context and one thread with its own connections, and each attached I/O
// thread (attach(), done by the server for every one of its threads) gets connections of its own,
// living on that thread: a call made there runs there, with no thread switch and no locks (a rate-limit
// check per request costs one pipelined round trip, not two thread hops besides). A call from any
// other thread hops to the store's thread and its result hops back (co_spawn(store executor, op,
// use_awaitable) resumes the caller on its own executor). Either way the client needs no locks:
// every connection is used from one thread only.
//
// Lifetime: a call in flight completes by posting to the caller's executor, so destroy the store
// after the callers' io_contexts (attached ones included) have stopped running and before they are
// destroyed (the destructor ends in-flight calls with ServiceUnavailable("cache", "store closed")).
// An attached io_context still running at that point must have no call in flight.
// Cancellation by the caller (an `||` with a timer) is ignored: a call always ends by itself
// within acquire_timeout + command_timeout, and a command once started is never cut in half.
//
// Retries (on another or a fresh connection, with backoff, at most `retry_attempts`, all within
// the call's budget of acquire_timeout + command_timeout):
//   - any command that was never written to a socket, or that the server refused without
//     running it (READONLY, MASTERDOWN, LOADING, NOAUTH; NOSCRIPT is answered by EVAL);
//   - GET, SET (a plain set of the same value) and DEL also after a connection loss or a timeout,
//     when they may have run: running them twice leaves the same state.
//   SET NX (set_if_absent), the increment and compare-and-set scripts and PUBLISH are never sent
//   twice once they may have run: the caller gets ServiceUnavailable instead.
#include <chrono>
#include <memory>
#include <span>
#include <string>

#include "kv/kv.hpp"

namespace b2w::config {
struct Config;
}

namespace b2w::kv {

struct RedisOptions {
  std::string url;  // redis://[[user]:password@]host[:port][/db] or rediss://...
  int pool_min = 1;
  int pool_max = 10;
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds acquire_timeout{2'000};
  int retry_attempts = 3;
  std::chrono::milliseconds command_timeout{2'000};
  std::string ca_file;  // empty: the system CAs
  // The subscriber connection sends PING this often to notice a dead server.
  std::chrono::milliseconds subscriber_ping_interval{1'000};
  // After a failed connect, reconnects back off from 50 ms up to this.
  std::chrono::milliseconds reconnect_backoff_max{1'000};

  static RedisOptions from_config(const config::Config& config);
};

// Counters for tests and diagnostics.
struct RedisStats {
  std::size_t open_connections = 0;
  std::uint64_t connects = 0;      // successful pool connects since start
  std::uint64_t resubscribes = 0;  // subscriber reconnects after a loss
  bool subscriber_connected = false;
  std::size_t lane_connections = 0;      // open on attached I/O threads (refreshed every 10 ms)
  std::uint64_t increment_calls = 0;     // increment_each() calls
  std::uint64_t increment_commands = 0;  // script calls made for them (fewer: coalesced)
};

class RedisStore final : public KeyValueStore {
 public:
  // Throws std::invalid_argument for a bad URL or CA file (the message never has the password).
  // Does not wait for the server: connections open in the background.
  explicit RedisStore(RedisOptions options);
  ~RedisStore() override;
  RedisStore(const RedisStore&) = delete;
  RedisStore& operator=(const RedisStore&) = delete;

  StoreKind kind() const override { return StoreKind::redis; }
  Awaitable<std::optional<std::string>> get(std::string key) override;
  Awaitable<void> set(std::string key, std::string value, Ttl ttl) override;
  Awaitable<bool> set_if_absent(std::string key, std::string value, Ttl ttl) override;
  Awaitable<Counter> increment(std::string key, std::int64_t by, Ttl ttl) override;
  Awaitable<std::vector<Counter>> increment_each(std::vector<std::string> keys, std::int64_t by, Ttl ttl) override;
  Awaitable<bool> del(std::string key) override;
  Awaitable<CasResult> compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) override;
  Awaitable<bool> delete_if_equals(std::string key, std::string expected) override;
  Awaitable<void> publish(std::string channel, std::string message) override;
  void subscribe(std::string channel, std::function<void(std::string_view)> on_message,
                 std::function<void()> on_gap) override;
  Awaitable<Probe> probe() override;
  // Each of `contexts` (single-threaded, the server's I/O threads) gets connections of its own:
  // ceil(pool_min / n) kept open and up to max(1, pool_max / n), n = contexts.size(). Once, before
  // any call is made and before they run.
  void attach(std::span<boost::asio::io_context* const> contexts) override;

  // Blocks the calling thread (not an I/O thread) for a snapshot.
  RedisStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace b2w::kv
