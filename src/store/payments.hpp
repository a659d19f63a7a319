#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db/database.hpp"

namespace b2w::store {

struct Payment {
  std::string id;
  std::string user_id;
  std::string kind;  // deposit | withdrawal
  std::string reference;
  std::int64_t amount = 0;
  std::string currency = "NGN";
  std::string status;  // pending | awaiting_review | completed | failed | reversed | rejected
  std::optional<std::string> bank_code, account_number, account_name, recipient_code, provider_message;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

class PaymentRepository {
 public:
  explicit PaymentRepository(Database& db) : db_(db) {}

  // Inserts; false when a payment with this id already exists (a retried request).
  static Awaitable<bool> insert(Tx& tx, const Payment& p);
  static Awaitable<std::optional<Payment>> lock(Tx& tx, const std::string& id);
  static Awaitable<std::optional<Payment>> lock_by_reference(Tx& tx, const std::string& reference);
  static Awaitable<void> update_status(Tx& tx, const std::string& id, const std::string& status,
                                       const std::optional<std::string>& message,
                                       const std::optional<std::string>& recipient_code = std::nullopt);

  Awaitable<std::optional<Payment>> find(std::string id);
  // Newest first, optionally of one status.
  Awaitable<std::vector<Payment>> list(std::string kind, std::optional<std::string> status, int limit,
                                       std::optional<std::pair<std::int64_t, std::string>> before);

 private:
  Database& db_;
};

}  // namespace b2w::store
