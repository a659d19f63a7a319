#include "store/payments.hpp"

namespace b2w::store {

using domain::PaymentPosting;

namespace {

constexpr const char* kColumns =
    "id, user_id, kind, reference, amount, currency, status, bank_code, account_number, account_name,"
    " recipient_code, provider_message, checkout_url, created_at, updated_at, review_reason, payout_account_id";

Payment from_row(const Row& r) {
  Payment p;
  p.id = r.str(0);
  p.user_id = r.str(1);
  const auto kind = domain::parse_payment_kind(r.str(2));
  const auto status = domain::parse_payment_status(r.str(6));
  if (!kind || !status) throw QueryError("payment " + p.id + " has an unknown kind or status");
  p.kind = *kind;
  p.reference = r.str(3);
  p.amount = r.i64(4);
  p.currency = r.str(5);
  p.status = *status;
  p.bank_code = r.opt_str(7);
  p.account_number = r.opt_str(8);
  p.account_name = r.opt_str(9);
  p.recipient_code = r.opt_str(10);
  p.provider_message = r.opt_str(11);
  p.checkout_url = r.opt_str(12);
  p.created_at = r.i64(13);
  p.updated_at = r.i64(14);
  p.review_reason = r.opt_str(15);
  p.payout_account_id = r.opt_str(16);
  return p;
}

std::optional<Payment> first(const Result& r) {
  if (r.empty()) return std::nullopt;
  return from_row(r.rows.front());
}

}  // namespace

LedgerTransfer payment_transfer(PaymentPosting posting, const Payment& p) {
  const auto id = domain::ledger_transaction_id(posting, p.id);
  const auto wallet = wallet_account(p.user_id);
  const auto held = pending_withdrawals_account(p.user_id);
  const auto clearing = paystack_clearing_account(p.id);
  switch (posting) {
    case PaymentPosting::deposit_credit:
      return move_money(id, "deposit", p.reference, clearing, wallet, p.amount);
    case PaymentPosting::withdrawal_hold:
      return move_money(id, "withdrawal", p.reference, wallet, held, p.amount);
    case PaymentPosting::withdrawal_return: {
      auto t = move_money(id, "withdrawal_return", p.reference, held, wallet, p.amount);
      t.closes = p.id;
      return t;
    }
    case PaymentPosting::withdrawal_settle: {
      auto t = move_money(id, "withdrawal", p.reference, held, clearing, p.amount);
      t.closes = p.id;
      return t;
    }
    case PaymentPosting::withdrawal_reversal:
      return move_money(id, "withdrawal_reversal", p.reference, clearing, wallet, p.amount);
  }
  throw QueryError("unknown payment posting");
}

Awaitable<bool> PaymentRepository::insert(Tx& tx, const Payment& p) {
  const auto r = co_await tx.exec(
      std::string("INSERT INTO payments (") + kColumns +
          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) ON "
          "CONFLICT (id) DO NOTHING",
      p.id, p.user_id, domain::to_string(p.kind), p.reference, p.amount, p.currency, domain::to_string(p.status),
      p.bank_code, p.account_number, p.account_name, p.recipient_code, p.provider_message, p.checkout_url, p.created_at,
      p.updated_at, p.review_reason, p.payout_account_id);
  co_return r.affected == 1;
}

Awaitable<std::optional<Payment>> PaymentRepository::lock(Tx& tx, const std::string& id) {
  co_return first(co_await tx.exec(std::string("SELECT ") + kColumns + " FROM payments WHERE id = $1 FOR UPDATE", id));
}

Awaitable<std::optional<Payment>> PaymentRepository::lock_by_reference(Tx& tx, const std::string& reference) {
  co_return first(co_await tx.exec(std::string("SELECT ") + kColumns + " FROM payments WHERE reference = $1 FOR UPDATE",
                                   reference));
}

Awaitable<void> PaymentRepository::move(Tx& tx, const std::string& id, domain::PaymentStatus from,
                                        domain::PaymentStatus to, const std::optional<std::string>& message) {
  co_await tx.defer_expecting(1,
                              "UPDATE payments SET status = $1, provider_message = COALESCE($2, provider_message),"
                              " updated_at = $3 WHERE id = $4 AND status = $5",
                              values_of(domain::to_string(to), message, now_micros(), id, domain::to_string(from)));
}

Awaitable<void> PaymentRepository::set_checkout_url(Tx& tx, const std::string& id, const std::string& url) {
  co_await tx.defer_exec("UPDATE payments SET checkout_url = $1, updated_at = $2 WHERE id = $3", url, now_micros(), id);
}

Awaitable<void> PaymentRepository::set_recipient(Tx& tx, const std::string& id, const std::string& recipient_code) {
  co_await tx.defer_exec("UPDATE payments SET recipient_code = $1, updated_at = $2 WHERE id = $3", recipient_code,
                         now_micros(), id);
}

Awaitable<PaymentRepository::WithdrawalsSince> PaymentRepository::withdrawals_since(Tx& tx, const std::string& user_id,
                                                                                    std::int64_t since) {
  // The user's pending-withdrawals account is locked first: it serializes their withdrawal requests (the count
  // is exact) and is the first account the hold posting locks anyway (accounts are locked in id order).
  std::vector<Statement> statements;
  statements.push_back(Statement{"SELECT id FROM ledger_accounts WHERE id = $1 FOR UPDATE",
                                 values_of(pending_withdrawals_account(user_id))});
  statements.push_back(Statement{
      "SELECT COUNT(*),"
      " CAST(COALESCE(SUM(CASE WHEN status IN ('failed', 'rejected', 'reversed') THEN 0 ELSE 1 END), 0) AS BIGINT),"
      " CAST(COALESCE(SUM(CASE WHEN status IN ('failed', 'rejected', 'reversed') THEN 0 ELSE amount END), 0)"
      " AS BIGINT) FROM payments WHERE user_id = $1 AND kind = 'withdrawal' AND created_at >= $2",
      values_of(user_id, since)});
  const auto results = co_await tx.execute_together(std::move(statements));
  const auto& row = results.at(1).one();
  co_return WithdrawalsSince{row.i64(0), row.i64(1), row.i64(2)};
}

Awaitable<std::optional<Payment>> PaymentRepository::find(std::string id) {
  co_return first(co_await db_.query(std::string("SELECT ") + kColumns + " FROM payments WHERE id = $1", id));
}

namespace {

// A (created_at, id) cursor as two parameters, both NULL without one (the statements switch the bound off then).
std::pair<std::optional<std::int64_t>, std::optional<std::string>> cursor_params(
    const std::optional<std::pair<std::int64_t, std::string>>& cursor) {
  if (!cursor) return {};
  return {cursor->first, cursor->second};
}

}  // namespace

Awaitable<std::vector<Payment>> PaymentRepository::list(domain::PaymentKind kind,
                                                        std::optional<domain::PaymentStatus> status, int limit,
                                                        std::optional<std::pair<std::int64_t, std::string>> before) {
  // NULL parameters switch the optional filters off, so one statement (prepared once) serves every call.
  // (Plain locals, not ?: inside the co_await expression: GCC 12 evaluates both arms there.)
  std::optional<std::string> status_text;
  if (status) status_text = std::string(domain::to_string(*status));
  const auto [before_time, before_id] = cursor_params(before);
  const auto rows =
      co_await db_.query(std::string("SELECT ") + kColumns +
                             " FROM payments WHERE kind = $1 AND (CAST($2 AS TEXT) IS NULL OR status = $2)"
                             " AND (CAST($3 AS BIGINT) IS NULL OR created_at < $3 OR (created_at = $3 AND id < $4))"
                             " ORDER BY created_at DESC, id DESC LIMIT $5",
                         domain::to_string(kind), status_text, before_time, before_id, std::int64_t{limit});
  std::vector<Payment> out;
  for (const auto& r : rows.rows) out.push_back(from_row(r));
  co_return out;
}

Awaitable<std::vector<Payment>> PaymentRepository::oldest_pending(
    domain::PaymentKind kind, std::int64_t created_by, std::optional<std::pair<std::int64_t, std::string>> after,
    int limit) {
  const auto [after_time, after_id] = cursor_params(after);
  const auto rows =
      co_await db_.query(std::string("SELECT ") + kColumns +
                             " FROM payments WHERE kind = $1 AND status = 'pending' AND created_at <= $2"
                             " AND (CAST($3 AS BIGINT) IS NULL OR created_at > $3 OR (created_at = $3 AND id > $4))"
                             " ORDER BY created_at, id LIMIT $5",
                         domain::to_string(kind), created_by, after_time, after_id, std::int64_t{limit});
  std::vector<Payment> out;
  for (const auto& r : rows.rows) out.push_back(from_row(r));
  co_return out;
}

}  // namespace b2w::store
