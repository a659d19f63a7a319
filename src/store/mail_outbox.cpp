#include "store/mail_outbox.hpp"

#include "util/ids.hpp"

namespace b2w::store {

Awaitable<void> MailOutbox::enqueue(Tx& tx, std::string recipient, std::string template_name, std::string params) {
  const auto now = now_micros();
  co_await tx.defer_exec(
      "INSERT INTO mail_outbox (id, recipient, template, params, status, attempts, next_attempt_at, created_at)"
      " VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5)",
      new_id("mail"), std::move(recipient), std::move(template_name), std::move(params), now);
}

Awaitable<std::vector<OutboxMail>> MailOutbox::claim_due(std::int64_t lease_micros, int limit) {
  const auto now = now_micros();
  // The outer `next_attempt_at <= $2` is checked again on a row another claim just leased (PostgreSQL re-reads
  // a row it waited for), so two tasks never lease one mail at once.
  const auto rows = co_await db_.query(
      "UPDATE mail_outbox SET next_attempt_at = CAST($1 AS BIGINT), attempts = attempts + 1"
      " WHERE status = 'pending' AND next_attempt_at <= CAST($2 AS BIGINT) AND id IN (SELECT id FROM mail_outbox"
      " WHERE status = 'pending' AND next_attempt_at <= CAST($2 AS BIGINT) ORDER BY next_attempt_at LIMIT $3)"
      " RETURNING id, recipient, template, params, attempts",
      now + lease_micros, now, limit);
  std::vector<OutboxMail> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows)
    out.push_back(OutboxMail{r.str(0), r.str(1), r.str(2), r.str(3), static_cast<int>(r.i64(4))});
  co_return out;
}

Awaitable<void> MailOutbox::mark_sent(std::string id) {
  co_await db_.query(
      "UPDATE mail_outbox SET status = 'sent', params = '{}', sent_at = $1, last_error = NULL"
      " WHERE id = $2",
      now_micros(), id);
}

Awaitable<void> MailOutbox::retry_at(std::string id, std::int64_t at, std::string error) {
  co_await db_.query(
      "UPDATE mail_outbox SET next_attempt_at = $1, last_error = $2 WHERE id = $3 AND status = 'pending'", at, error,
      id);
}

Awaitable<void> MailOutbox::mark_failed(std::string id, std::string error) {
  co_await db_.query("UPDATE mail_outbox SET status = 'failed', params = '{}', last_error = $1 WHERE id = $2", error,
                     id);
}

Awaitable<std::int64_t> MailOutbox::count(std::string status) {
  const auto rows = co_await db_.query("SELECT COUNT(*) FROM mail_outbox WHERE status = $1", status);
  co_return rows.one().i64(0);
}

}  // namespace b2w::store
