#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/payment_states.hpp"
#include "store/db/database.hpp"
#include "store/ledger.hpp"

namespace b2w::store {

struct Payment {
  std::string id;
  std::string user_id;
  domain::PaymentKind kind = domain::PaymentKind::deposit;
  std::string reference;
  std::int64_t amount = 0;
  std::string currency = "NGN";
  domain::PaymentStatus status = domain::PaymentStatus::pending;
  std::optional<std::string> bank_code, account_number, account_name, recipient_code, provider_message, checkout_url;
  std::optional<std::string> review_reason;      // a withdrawal awaiting review: which rule sent it there
  std::optional<std::string> payout_account_id;  // the payout account a withdrawal pays to (migration 020)
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// The ledger transfer a payment's posting makes (one shape for the service that posts it and for
// `ledger verify`, which checks the entries against it).
LedgerTransfer payment_transfer(domain::PaymentPosting posting, const Payment& payment);

class PaymentRepository {
 public:
  explicit PaymentRepository(Database& db) : db_(db) {}

  // Inserts; false when a payment with this id already exists (a retried request).
  static Awaitable<bool> insert(Tx& tx, const Payment& p);
  static Awaitable<std::optional<Payment>> lock(Tx& tx, const std::string& id);
  static Awaitable<std::optional<Payment>> lock_by_reference(Tx& tx, const std::string& reference);
  // The only status write: from `from` to `to`, conditional on the row still being in `from` (the
  // transaction fails and rolls back otherwise). Rides with the next statement or the COMMIT.
  static Awaitable<void> move(Tx& tx, const std::string& id, domain::PaymentStatus from, domain::PaymentStatus to,
                              const std::optional<std::string>& message);
  // Facts learnt from Paystack that are not states: the checkout page, the transfer recipient.
  static Awaitable<void> set_checkout_url(Tx& tx, const std::string& id, const std::string& url);
  static Awaitable<void> set_recipient(Tx& tx, const std::string& id, const std::string& recipient_code);
  // The user's withdrawals since `since` (epoch µs); holds the user's withdrawal lock for the rest of the
  // transaction, so the counts stay exact until it commits.
  struct WithdrawalsSince {
    std::int64_t requested = 0;      // whatever became of them (MAX_WITHDRAWALS_PER_DAY)
    std::int64_t paying_out = 0;     // not failed, rejected or reversed: still taking money out (KYC caps)
    std::int64_t paying_amount = 0;  // their sum, kobo
  };
  static Awaitable<WithdrawalsSince> withdrawals_since(Tx& tx, const std::string& user_id, std::int64_t since);

  Awaitable<std::optional<Payment>> find(std::string id);
  // The reconciler's batch: pending payments of `kind` created at or before `created_by` (epoch µs), oldest
  // first, after the cursor (created_at, id) of the previous batch when given (index payments_kind_status).
  Awaitable<std::vector<Payment>> oldest_pending(domain::PaymentKind kind, std::int64_t created_by,
                                                 std::optional<std::pair<std::int64_t, std::string>> after, int limit);
  // Newest first, optionally of one status.
  Awaitable<std::vector<Payment>> list(domain::PaymentKind kind, std::optional<domain::PaymentStatus> status, int limit,
                                       std::optional<std::pair<std::int64_t, std::string>> before);

 private:
  Database& db_;
};

}  // namespace b2w::store
