#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// The key-value store: sessions, rate limits, caches, locks, cross-task signals.
// Two implementations with the same semantics: in-process (one instance only,
// for `make run`) and Redis (ElastiCache in AWS).
//
// Every call may be made from any of the server's I/O threads, concurrently; it
// never blocks the calling thread and resumes the caller on its own executor.
// When the store cannot answer (down, timed out) a call throws b2w::ServiceUnavailable.
namespace b2w::kv {

template <typename T>
using Awaitable = boost::asio::awaitable<T>;
using Ttl = std::chrono::milliseconds;  // 0: no expiry

struct Counter {
  std::int64_t value;  // after the increment
  Ttl ttl;             // time left in the window
};

enum class CasResult { swapped, mismatch, missing };

struct Probe {
  bool ok;
  std::chrono::microseconds latency;
};

enum class StoreKind { redis, memory };
inline std::string_view to_string(StoreKind kind) {
  return kind == StoreKind::redis ? "redis" : "memory";
}

class KeyValueStore {
 public:
  virtual ~KeyValueStore() = default;

  // A memory store serves one process only.
  virtual StoreKind kind() const = 0;

  virtual Awaitable<std::optional<std::string>> get(std::string key) = 0;
  virtual Awaitable<void> set(std::string key, std::string value, Ttl ttl) = 0;
  // True when the key was absent and is now set.
  virtual Awaitable<bool> set_if_absent(std::string key, std::string value, Ttl ttl) = 0;
  // Atomically adds `by`; a new key gets `ttl` (a fixed window), an existing one keeps its expiry.
  virtual Awaitable<Counter> increment(std::string key, std::int64_t by, Ttl ttl) = 0;
  // increment() on several keys in one round trip (each key its own window): a rate limit that
  // counts per IP and per user costs one command, not two.
  virtual Awaitable<std::vector<Counter>> increment_each(std::vector<std::string> keys, std::int64_t by, Ttl ttl) = 0;
  // True when a key was deleted.
  virtual Awaitable<bool> del(std::string key) = 0;
  // Deletes the key only while it holds `expected` (releasing a lock this caller took: a lock that
  // expired and was taken by someone else is left alone). True when deleted.
  virtual Awaitable<bool> delete_if_equals(std::string key, std::string expected) = 0;
  // Atomically replaces the value with `value` (and expiry `ttl`) only if it equals `expected`.
  virtual Awaitable<CasResult> compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) = 0;

  // Publish/subscribe across every process sharing the store (cache invalidation).
  virtual Awaitable<void> publish(std::string channel, std::string message) = 0;
  // `on_message` runs for each message; `on_gap` runs when messages may have been
  // missed (a reconnect), so subscribers drop whatever they cached. Handlers run
  // on an internal executor and must be quick and thread-safe.
  virtual void subscribe(std::string channel, std::function<void(std::string_view)> on_message,
                         std::function<void()> on_gap) = 0;

  // A round trip for the health-check's background probe; never throws.
  virtual Awaitable<Probe> probe() = 0;

  // The server's I/O threads (one single-threaded io_context each): a store may serve calls made on
  // them right there (the Redis store gives each its own connections). Once, before any call and
  // before they run; the store is destroyed after they stop. Optional: the default does nothing.
  virtual void attach(std::span<boost::asio::io_context* const> contexts) { (void)contexts; }
};

}  // namespace b2w::kv
