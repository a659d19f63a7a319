#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "domain/kyc.hpp"
#include "store/db/database.hpp"

namespace b2w::store {

// One attempt at verifying a player's identity (table identity_checks, migration 018). Holds no full BVN or
// account number: only the BVN's last four digits and the bank code.
struct IdentityCheck {
  std::string id;  // "idc_…"
  std::string user_id;
  std::string provider = "paystack";
  std::optional<std::string> customer_code;  // Paystack's CUS_…
  domain::IdentityCheckStatus status = domain::IdentityCheckStatus::pending;
  std::optional<std::string> reason;
  std::string bvn_last4;
  std::string bank_code;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

class IdentityCheckRepository {
 public:
  explicit IdentityCheckRepository(Database& db) : db_(db) {}

  // Inserts a pending check; false when the user has a pending one already (at most one, by a unique index).
  static Awaitable<bool> insert(Tx& tx, const IdentityCheck& check);
  // The user's newest check, locked for the rest of the transaction.
  static Awaitable<std::optional<IdentityCheck>> lock_latest(Tx& tx, std::string user_id);
  // The newest check made with this Paystack customer code, locked: where a webhook applies.
  static Awaitable<std::optional<IdentityCheck>> lock_latest_by_customer(Tx& tx, std::string customer_code);
  static Awaitable<void> set_customer_code(Tx& tx, std::string id, std::string customer_code);
  // The only status write, conditional on the row still being in `from` (the transaction fails otherwise).
  static Awaitable<void> move(Tx& tx, std::string id, domain::IdentityCheckStatus from, domain::IdentityCheckStatus to,
                              std::optional<std::string> reason);

  Awaitable<std::optional<IdentityCheck>> latest(std::string user_id);
  // The Paystack customer code of the user's newest check that has one: reused, instead of asking again.
  Awaitable<std::optional<std::string>> known_customer_code(std::string user_id);

 private:
  Database& db_;
};

}  // namespace b2w::store
