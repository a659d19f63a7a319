#include "store/email_tokens.hpp"

namespace b2w::store {

namespace {

std::string purpose_name(EmailTokenPurpose purpose) {
  return purpose == EmailTokenPurpose::verify_email ? "verify_email" : "reset_password";
}

}  // namespace

Awaitable<void> EmailTokens::insert(Tx& tx, std::string token_hash, std::string user_id, EmailTokenPurpose purpose,
                                    std::int64_t expires_at) {
  co_await tx.defer_exec(
      "INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)",
      std::move(token_hash), std::move(user_id), purpose_name(purpose), expires_at, now_micros());
}

Awaitable<std::optional<std::string>> EmailTokens::peek(Database& db, std::string token_hash,
                                                        EmailTokenPurpose purpose) {
  const auto rows = co_await db.query(
      "SELECT user_id FROM email_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL"
      " AND expires_at > CAST($3 AS BIGINT)",
      std::move(token_hash), purpose_name(purpose), now_micros());
  if (rows.empty()) co_return std::nullopt;
  co_return rows.rows.front().str(0);
}

Awaitable<std::optional<std::string>> EmailTokens::consume(Tx& tx, std::string token_hash, EmailTokenPurpose purpose) {
  const auto now = now_micros();
  const auto rows = co_await tx.exec(
      "UPDATE email_tokens SET used_at = CAST($1 AS BIGINT) WHERE token_hash = $2 AND purpose = $3"
      " AND used_at IS NULL AND expires_at > CAST($1 AS BIGINT) RETURNING user_id",
      now, std::move(token_hash), purpose_name(purpose));
  if (rows.empty()) co_return std::nullopt;
  co_return rows.rows.front().str(0);
}

}  // namespace b2w::store
