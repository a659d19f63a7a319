#include "store/idempotency.hpp"

namespace b2w::store {

Awaitable<IdempotencyStore::Claim> IdempotencyStore::claim(const std::string& user_id, const std::string& key,
                                                           const std::string& request_hash,
                                                           std::chrono::milliseconds ttl,
                                                           std::chrono::milliseconds stale_after) {
  const auto ttl_us = std::chrono::duration_cast<std::chrono::microseconds>(ttl).count();
  const auto stale_us = std::chrono::duration_cast<std::chrono::microseconds>(stale_after).count();
  for (int attempt = 0;; ++attempt) {
    try {
      co_return co_await transaction(db_, [&](Tx& tx) -> Awaitable<Claim> {
        const auto now = now_micros();
        const auto row = co_await tx.exec(
            "SELECT request_hash, state, status_code, response_body, created_at, expires_at FROM idempotency_keys"
            " WHERE user_id = $1 AND idempotency_key = $2 FOR UPDATE",
            user_id, key);
        if (!row.empty() && row.one().i64(5) > now) {
          const auto& r = row.one();
          if (r.str(0) != request_hash) co_return Claim{Outcome::mismatch};
          if (r.str(1) == "done") co_return Claim{Outcome::replay, static_cast<int>(r.i64(2)), r.str(3)};
          if (r.i64(4) > now - stale_us) co_return Claim{Outcome::in_progress};
        }
        if (!row.empty())
          co_await tx.exec("DELETE FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2", user_id, key);
        co_await tx.exec(
            "INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, state, created_at, expires_at)"
            " VALUES ($1, $2, $3, 'in_progress', $4, $5)",
            user_id, key, request_hash, now, now + ttl_us);
        co_return Claim{Outcome::claimed};
      });
    } catch (const ConstraintViolation&) {
      // Two first requests raced to insert: the loser looks again and sees the winner's claim.
      if (attempt >= 2) throw;
    }
  }
}

Awaitable<void> IdempotencyStore::complete(const std::string& user_id, const std::string& key, int status,
                                           const std::string& body) {
  co_await db_.query(
      "UPDATE idempotency_keys SET state = 'done', status_code = $1, response_body = $2"
      " WHERE user_id = $3 AND idempotency_key = $4",
      std::int64_t{status}, body, user_id, key);
}

Awaitable<void> IdempotencyStore::release(const std::string& user_id, const std::string& key) {
  co_await db_.query("DELETE FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2", user_id, key);
}

}  // namespace b2w::store
