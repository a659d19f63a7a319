#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kv/kv.hpp"

namespace b2w::auth {

struct RateDecision {
  bool allowed = true;
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  std::int64_t reset_seconds = 0;  // until the window ends
};

// The decision for the `count`th hit of a window with `ttl` left (pure).
RateDecision decide(std::int64_t count, std::chrono::milliseconds ttl, std::int64_t limit);

// Fixed-window counters in the shared KV store, so every task counts together.
// Throws ServiceUnavailable when the store is down: each caller chooses to fail open or closed.
class RateLimiter {
 public:
  explicit RateLimiter(kv::KeyValueStore& kv) : kv_(kv) {}
  // Counts one hit (or `cost`) against key and says whether it is within `limit` per `window`.
  kv::Awaitable<RateDecision> hit(const std::string& key, std::int64_t limit, std::chrono::milliseconds window,
                                  std::int64_t cost = 1);
  // hit() on several keys at once (one round trip to a shared store); decisions in key order.
  kv::Awaitable<std::vector<RateDecision>> hit_each(std::vector<std::string> keys, std::int64_t limit,
                                                    std::chrono::milliseconds window);
  // Counts one against key in a window of `window` and returns the count so far.
  kv::Awaitable<std::int64_t> count(const std::string& key, std::chrono::milliseconds window);
  // Takes back one count() (an attempt that could not be made); a counter that expired meanwhile
  // restarts at -1 for `window`.
  kv::Awaitable<void> uncount(const std::string& key, std::chrono::milliseconds window);
  // Reads a counter without counting (0 when absent).
  kv::Awaitable<std::int64_t> peek(const std::string& key);
  kv::Awaitable<void> reset(const std::string& key);

  // A short exclusive lock (SET NX PX with a random token), shared by every task: the token to
  // unlock with, or nullopt while someone else holds it. The TTL frees it if its holder dies.
  kv::Awaitable<std::optional<std::string>> try_lock(const std::string& key, std::chrono::milliseconds ttl);
  // Releases the lock only if it is still ours (it may have expired and been taken since).
  kv::Awaitable<void> unlock(const std::string& key, const std::string& token);

  // A hold on `key` for `duration` (the value is its end, so readers know what is left).
  kv::Awaitable<void> hold(const std::string& key, std::chrono::milliseconds duration);
  // What is left of a hold: 0 when there is none.
  kv::Awaitable<std::chrono::milliseconds> held_for(const std::string& key);

 private:
  kv::KeyValueStore& kv_;
};

}  // namespace b2w::auth
