#include "store/payments.hpp"

namespace b2w::store {
namespace {

constexpr const char* kColumns =
    "id, user_id, kind, reference, amount, currency, status, bank_code, account_number, account_name,"
    " recipient_code, provider_message, created_at, updated_at";

Payment from_row(const Row& r) {
  return Payment{r.str(0),     r.str(1),     r.str(2),     r.str(3),      r.i64(4),  r.str(5),  r.str(6),
                 r.opt_str(7), r.opt_str(8), r.opt_str(9), r.opt_str(10), r.opt_str(11), r.i64(12), r.i64(13)};
}

std::optional<Payment> first(const Result& r) {
  if (r.empty()) return std::nullopt;
  return from_row(r.rows.front());
}

}  // namespace

Awaitable<bool> PaymentRepository::insert(Tx& tx, const Payment& p) {
  const auto r = co_await tx.exec(
      std::string("INSERT INTO payments (") + kColumns +
          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (id) DO NOTHING",
      p.id, p.user_id, p.kind, p.reference, p.amount, p.currency, p.status, p.bank_code, p.account_number,
      p.account_name, p.recipient_code, p.provider_message, p.created_at, p.updated_at);
  co_return r.affected == 1;
}

Awaitable<std::optional<Payment>> PaymentRepository::lock(Tx& tx, const std::string& id) {
  co_return first(co_await tx.exec(std::string("SELECT ") + kColumns + " FROM payments WHERE id = $1 FOR UPDATE", id));
}

Awaitable<std::optional<Payment>> PaymentRepository::lock_by_reference(Tx& tx, const std::string& reference) {
  co_return first(
      co_await tx.exec(std::string("SELECT ") + kColumns + " FROM payments WHERE reference = $1 FOR UPDATE", reference));
}

Awaitable<void> PaymentRepository::update_status(Tx& tx, const std::string& id, const std::string& status,
                                                 const std::optional<std::string>& message,
                                                 const std::optional<std::string>& recipient_code) {
  // Nothing reads the result: it travels with the next statement or the COMMIT.
  co_await tx.defer_exec(
      "UPDATE payments SET status = $1, provider_message = COALESCE($2, provider_message),"
      " recipient_code = COALESCE($3, recipient_code), updated_at = $4 WHERE id = $5",
      status, message, recipient_code, now_micros(), id);
}

Awaitable<std::optional<Payment>> PaymentRepository::find(std::string id) {
  co_return first(co_await db_.query(std::string("SELECT ") + kColumns + " FROM payments WHERE id = $1", id));
}

Awaitable<std::vector<Payment>> PaymentRepository::list(std::string kind, std::optional<std::string> status, int limit,
                                                        std::optional<std::pair<std::int64_t, std::string>> before) {
  // NULL parameters switch the optional filters off, so one statement (prepared once) serves every call.
  // (Plain locals, not ?: inside the co_await expression: GCC 12 evaluates both arms there.)
  std::optional<std::int64_t> before_time;
  std::optional<std::string> before_id;
  if (before) {
    before_time = before->first;
    before_id = before->second;
  }
  const auto rows = co_await db_.query(
      std::string("SELECT ") + kColumns +
          " FROM payments WHERE kind = $1 AND (CAST($2 AS TEXT) IS NULL OR status = $2)"
          " AND (CAST($3 AS BIGINT) IS NULL OR created_at < $3 OR (created_at = $3 AND id < $4))"
          " ORDER BY created_at DESC, id DESC LIMIT $5",
      kind, status, before_time, before_id, std::int64_t{limit});
  std::vector<Payment> out;
  for (const auto& r : rows.rows) out.push_back(from_row(r));
  co_return out;
}

}  // namespace b2w::store
