#include "store/identity_checks.hpp"

namespace b2w::store {
namespace {

constexpr const char* kColumns =
    "id, user_id, provider, customer_code, status, reason, bvn_last4, bank_code, created_at, updated_at";

IdentityCheck from_row(const Row& r) {
  IdentityCheck c;
  c.id = r.str(0);
  c.user_id = r.str(1);
  c.provider = r.str(2);
  c.customer_code = r.opt_str(3);
  const auto status = domain::parse_identity_check_status(r.str(4));
  if (!status) throw QueryError("identity check " + c.id + " has an unknown status");
  c.status = *status;
  c.reason = r.opt_str(5);
  c.bvn_last4 = r.str(6);
  c.bank_code = r.str(7);
  c.created_at = r.i64(8);
  c.updated_at = r.i64(9);
  return c;
}

std::optional<IdentityCheck> first(const Result& r) {
  if (r.empty()) return std::nullopt;
  return from_row(r.rows.front());
}

}  // namespace

Awaitable<bool> IdentityCheckRepository::insert(Tx& tx, const IdentityCheck& c) {
  const auto r = co_await tx.exec(std::string("INSERT INTO identity_checks (") + kColumns +
                                      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
                                  c.id, c.user_id, c.provider, c.customer_code, domain::to_string(c.status), c.reason,
                                  c.bvn_last4, c.bank_code, c.created_at, c.updated_at);
  co_return r.affected == 1;
}

Awaitable<std::optional<IdentityCheck>> IdentityCheckRepository::lock_latest(Tx& tx, std::string user_id) {
  co_return first(co_await tx.exec(std::string("SELECT ") + kColumns +
                                       " FROM identity_checks WHERE user_id = $1"
                                       " ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE",
                                   std::move(user_id)));
}

Awaitable<std::optional<IdentityCheck>> IdentityCheckRepository::lock_latest_by_customer(Tx& tx,
                                                                                         std::string customer_code) {
  co_return first(co_await tx.exec(std::string("SELECT ") + kColumns +
                                       " FROM identity_checks WHERE customer_code = $1"
                                       " ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE",
                                   std::move(customer_code)));
}

Awaitable<void> IdentityCheckRepository::set_customer_code(Tx& tx, std::string id, std::string customer_code) {
  co_await tx.defer_expecting(1, "UPDATE identity_checks SET customer_code = $1, updated_at = $2 WHERE id = $3",
                              values_of(std::move(customer_code), now_micros(), std::move(id)));
}

Awaitable<void> IdentityCheckRepository::move(Tx& tx, std::string id, domain::IdentityCheckStatus from,
                                              domain::IdentityCheckStatus to, std::optional<std::string> reason) {
  co_await tx.defer_expecting(
      1,
      "UPDATE identity_checks SET status = $1, reason = COALESCE($2, reason), updated_at = $3"
      " WHERE id = $4 AND status = $5",
      values_of(domain::to_string(to), std::move(reason), now_micros(), std::move(id), domain::to_string(from)));
}

Awaitable<std::optional<IdentityCheck>> IdentityCheckRepository::latest(std::string user_id) {
  co_return first(co_await db_.query(std::string("SELECT ") + kColumns +
                                         " FROM identity_checks WHERE user_id = $1"
                                         " ORDER BY created_at DESC, id DESC LIMIT 1",
                                     std::move(user_id)));
}

Awaitable<std::optional<std::string>> IdentityCheckRepository::known_customer_code(std::string user_id) {
  const auto r = co_await db_.query(
      "SELECT customer_code FROM identity_checks WHERE user_id = $1 AND customer_code IS NOT NULL"
      " ORDER BY created_at DESC, id DESC LIMIT 1",
      std::move(user_id));
  if (r.empty()) co_return std::nullopt;
  co_return r.one().str(0);
}

}  // namespace b2w::store
