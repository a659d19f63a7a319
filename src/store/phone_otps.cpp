#include "store/phone_otps.hpp"

#include "util/ids.hpp"

namespace b2w::store {

Awaitable<void> PhoneOtpRepository::insert(std::string phone, domain::OtpPurpose purpose, std::string pin_id,
                                           std::optional<std::string> user_id, std::int64_t expires_at) {
  co_await db_.query(
      "INSERT INTO phone_otps (id, phone, purpose, pin_id, user_id, expires_at, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7)",
      new_id("otp"), std::move(phone), std::string(domain::to_string(purpose)), std::move(pin_id), std::move(user_id),
      expires_at, now_micros());
}

Awaitable<std::optional<PhoneOtp>> PhoneOtpRepository::claim_check(std::string phone, domain::OtpPurpose purpose,
                                                                   int max_attempts) {
  const auto now = now_micros();
  const auto rows = co_await db_.query(
      "UPDATE phone_otps SET attempts = attempts + 1"
      " WHERE id = (SELECT id FROM phone_otps WHERE phone = $1 AND purpose = $2"
      "             ORDER BY created_at DESC, id DESC LIMIT 1)"
      " AND used_at IS NULL AND expires_at > CAST($3 AS BIGINT) AND attempts < CAST($4 AS INTEGER)"
      " RETURNING id, pin_id, user_id, attempts",
      std::move(phone), std::string(domain::to_string(purpose)), now, max_attempts);
  if (rows.empty()) co_return std::nullopt;
  const auto& row = rows.rows.front();
  co_return PhoneOtp{row.str(0), row.str(1), row.opt_str(2), static_cast<int>(row.i64(3))};
}

Awaitable<void> PhoneOtpRepository::unclaim_check(std::string id) {
  co_await db_.query("UPDATE phone_otps SET attempts = attempts - 1 WHERE id = $1 AND attempts > 0 AND used_at IS NULL",
                     std::move(id));
}

Awaitable<bool> PhoneOtpRepository::use(Tx& tx, std::string id) {
  const auto rows = co_await tx.exec(
      "UPDATE phone_otps SET used_at = CAST($1 AS BIGINT) WHERE id = $2 AND used_at IS NULL RETURNING id", now_micros(),
      std::move(id));
  co_return !rows.empty();
}

}  // namespace b2w::store
