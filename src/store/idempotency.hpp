#pragma once
#include <chrono>
#include <string>

#include "store/db/database.hpp"

namespace b2w::store {

// Stripe-style idempotency keys, kept in the SQL store so they survive restarts and
// are shared by every task.
class IdempotencyStore {
 public:
  enum class Outcome { claimed, replay, mismatch, in_progress };
  struct Claim {
    Outcome outcome;
    int status = 0;
    std::string body;
  };

  explicit IdempotencyStore(Database& db) : db_(db) {}

  // Claims (user, key) for a request with `request_hash`. A claim left in progress longer
  // than `stale_after` (its process died) may be taken over.
  Awaitable<Claim> claim(const std::string& user_id, const std::string& key, const std::string& request_hash,
                         std::chrono::milliseconds ttl, std::chrono::milliseconds stale_after);
  // Stores the response to replay.
  Awaitable<void> complete(const std::string& user_id, const std::string& key, int status, const std::string& body);
  // Forgets the claim (the request failed in a way that should be retried).
  Awaitable<void> release(const std::string& user_id, const std::string& key);

 private:
  Database& db_;
};

}  // namespace b2w::store
