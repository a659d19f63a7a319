#include "store/payout_accounts.hpp"

namespace b2w::store {
namespace {

constexpr const char* kColumns =
    "id, user_id, bank_code, bank_name, account_number, account_name, name_matches, recipient_code, created_at,"
    " deleted_at";

PayoutAccount from_row(const Row& r) {
  PayoutAccount a;
  a.id = r.str(0);
  a.user_id = r.str(1);
  a.bank_code = r.str(2);
  a.bank_name = r.opt_str(3);
  a.account_number = r.str(4);
  a.account_name = r.str(5);
  a.name_matches = r.i64(6) != 0;
  a.recipient_code = r.opt_str(7);
  a.created_at = r.i64(8);
  a.deleted_at = r.opt_i64(9);
  return a;
}

std::vector<PayoutAccount> all(const Result& r) {
  std::vector<PayoutAccount> out;
  for (const auto& row : r.rows) out.push_back(from_row(row));
  return out;
}

}  // namespace

Awaitable<std::vector<PayoutAccount>> PayoutAccountRepository::lock_live(Tx& tx, std::string user_id) {
  std::vector<Statement> statements;
  statements.push_back(Statement{"SELECT id FROM users WHERE id = $1 FOR UPDATE", values_of(user_id)});
  statements.push_back(Statement{std::string("SELECT ") + kColumns +
                                     " FROM payout_accounts WHERE user_id = $1 AND deleted_at IS NULL"
                                     " ORDER BY created_at, id",
                                 values_of(user_id)});
  const auto results = co_await tx.execute_together(std::move(statements));
  co_return all(results.at(1));
}

Awaitable<bool> PayoutAccountRepository::insert(Tx& tx, const PayoutAccount& a) {
  const auto r = co_await tx.exec(std::string("INSERT INTO payout_accounts (") + kColumns +
                                      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
                                  a.id, a.user_id, a.bank_code, a.bank_name, a.account_number, a.account_name,
                                  std::int64_t{a.name_matches ? 1 : 0}, a.recipient_code, a.created_at, a.deleted_at);
  co_return r.affected == 1;
}

Awaitable<std::vector<PayoutAccount>> PayoutAccountRepository::live(std::string user_id) {
  co_return all(co_await db_.query(std::string("SELECT ") + kColumns +
                                       " FROM payout_accounts WHERE user_id = $1 AND deleted_at IS NULL"
                                       " ORDER BY created_at, id",
                                   std::move(user_id)));
}

Awaitable<std::optional<PayoutAccount>> PayoutAccountRepository::find(std::string user_id, std::string id) {
  const auto r =
      co_await db_.query(std::string("SELECT ") + kColumns + " FROM payout_accounts WHERE id = $1 AND user_id = $2",
                         std::move(id), std::move(user_id));
  if (r.empty()) co_return std::nullopt;
  co_return from_row(r.rows.front());
}

Awaitable<bool> PayoutAccountRepository::remove(std::string user_id, std::string id) {
  const auto r = co_await db_.query(
      "UPDATE payout_accounts SET deleted_at = $1 WHERE id = $2 AND user_id = $3 AND deleted_at IS NULL", now_micros(),
      std::move(id), std::move(user_id));
  co_return r.affected == 1;
}

Awaitable<void> PayoutAccountRepository::set_recipient(std::string id, std::string recipient_code) {
  co_await db_.query("UPDATE payout_accounts SET recipient_code = $1 WHERE id = $2 AND recipient_code IS NULL",
                     std::move(recipient_code), std::move(id));
}

}  // namespace b2w::store
