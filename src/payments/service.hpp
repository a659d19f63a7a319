#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/audit_chain.hpp"
#include "domain/kyc.hpp"
#include "identity/identity_verification.hpp"
#include "payments/paystack.hpp"
#include "payments/webhook_event.hpp"
#include "store/db/database.hpp"
#include "store/payments.hpp"
#include "store/payout_accounts.hpp"
#include "store/users.hpp"

namespace b2w::payments {

struct PaymentLimits {
  std::int64_t min_deposit = 10'000;      // ₦100
  std::int64_t min_withdrawal = 100'000;  // ₦1,000
  std::int64_t max_amount = 500'000'000;  // ₦5,000,000, deposits and withdrawals
  std::int64_t review_threshold = 50'000'000;
  std::int64_t max_withdrawals_per_day = 5;  // requested in the last 24 hours, whatever became of them
  bool require_verified_phone = false;       // withdrawals need users.phone_verified_at (403 phone_not_verified)
  domain::KycCaps kyc_caps;                  // per KYC tier: above a cap a withdrawal waits for review
  // PAYOUT_NAME_MISMATCH=refuse: no withdrawal to a payout account whose name is not the player's (422
  // payout_name_mismatch); otherwise such a withdrawal waits for review (review_reason name_mismatch).
  bool refuse_name_mismatch = false;
};

// Deposits and withdrawals: the ledger moves and the Paystack calls, in an order that never creates or
// loses money when Paystack fails, times out, repeats itself or answers out of order, and when requests,
// administrators and webhooks race. Every status change is a move of domain/payment_states' tables,
// applied with its ledger posting as a conditional update in one SQL transaction.
// Throws domain::Error with the documented codes.
class PaymentService {
 public:
  // `identity` takes Paystack's customer identification webhooks, which arrive at the same URL.
  PaymentService(store::Database& db, store::PaymentRepository& payments, store::UserRepository& users,
                 store::PayoutAccountRepository& payout_accounts, PaystackClient& paystack, PaymentLimits limits,
                 identity::IdentityVerification& identity)
      : db_(db),
        payments_(payments),
        users_(users),
        payout_accounts_(payout_accounts),
        paystack_(paystack),
        limits_(limits),
        identity_(identity) {}

  struct DepositStarted {
    store::Payment payment;
    std::string authorization_url;
  };
  // A pending deposit and Paystack's checkout page. Ids derive from (user, idempotency key): a retry finds
  // the same deposit (422 idempotency_key_reused if the amount differs) and gets the same checkout page, or,
  // after Paystack certainly failed to create one, a new attempt.
  store::Awaitable<DepositStarted> start_deposit(const std::string& user_id, std::int64_t amount,
                                                 const std::string& idempotency_key);

  struct WithdrawalRequest {
    std::int64_t amount;
    std::string payout_account_id;  // one of the player's saved payout accounts (payments/payout_accounts.hpp)
  };
  // Moves the amount to pending withdrawals at once (422 insufficient_funds), then asks Paystack for the transfer
  // to the payout account (404 payout_account_not_found when it is not the player's or was removed), unless the
  // withdrawal waits for an admin's review first: the account's name is not the player's, or a cap or threshold.
  store::Awaitable<store::Payment> request_withdrawal(const std::string& user_id, WithdrawalRequest request,
                                                      const std::string& idempotency_key);
  // The caller's withdrawal; someone else's is 404 not_found, as if it did not exist.
  store::Awaitable<store::Payment> withdrawal_of(std::string user_id, std::string id);
  // Withdrawals newest first, optionally of one status (the review queue); `before` is the last one seen.
  store::Awaitable<std::vector<store::Payment>> withdrawals(std::optional<domain::PaymentStatus> status, int limit,
                                                            std::optional<std::pair<std::int64_t, std::string>> before);
  // An admin's decision on a withdrawal awaiting review, recorded in the audit trail as made by `actor`
  // in the same transaction as the status change.
  store::Awaitable<store::Payment> approve_withdrawal(std::string id, domain::Actor actor);
  store::Awaitable<store::Payment> reject_withdrawal(std::string id, domain::Actor actor);

  // A verified webhook body: charge.success credits a matching deposit exactly once; transfer.success /
  // failed / reversed settle a withdrawal; customeridentification.success / failed go to identity verification. Events
  // for unknown references, with another amount or currency than the payment's, or that find no move from its status
  // (repeated, late) change nothing and are logged.
  store::Awaitable<void> handle_event(std::string_view raw_body);
  // What became of a notice (the logs say why too).
  enum class NoticeOutcome { moved, no_move, unknown_reference, mismatch };
  // The one way a notice about a payment is applied, whether a webhook brought it or the reconciler learnt it from
  // Paystack's verify endpoints: under the payment's lock, checked against its kind, amount and currency, then the
  // table's move for its event from the current status (none: nothing changes), in one transaction.
  store::Awaitable<NoticeOutcome> apply_notice(PaymentNotice notice);
  // A webhook as received: 401 invalid_signature unless signed with our Paystack secret, then handle_event.
  store::Awaitable<void> handle_webhook(std::string_view raw_body, std::string_view signature_hex);

 private:
  store::Awaitable<store::Payment> send_transfer(store::Payment withdrawal);
  // The transfer recipient for a withdrawal: its payout account's, created at Paystack on the account's first
  // withdrawal and kept on it; one per withdrawal for those made before payout accounts. Throws ProviderError.
  store::Awaitable<std::string> recipient_for(store::Payment withdrawal);

  store::Database& db_;
  store::PaymentRepository& payments_;
  store::UserRepository& users_;
  store::PayoutAccountRepository& payout_accounts_;
  PaystackClient& paystack_;
  PaymentLimits limits_;
  identity::IdentityVerification& identity_;
};

}  // namespace b2w::payments
