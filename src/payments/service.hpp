#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "payments/paystack.hpp"
#include "store/db/database.hpp"
#include "store/payments.hpp"
#include "store/users.hpp"

namespace b2w::payments {

struct PaymentLimits {
  std::int64_t max_amount = 500'000'000;
  std::int64_t review_threshold = 50'000'000;
};

// Deposits and withdrawals: the ledger moves and the Paystack calls, in an order that
// never creates or loses money when Paystack fails, times out or repeats itself.
// Throws http::ApiError with the documented codes.
class PaymentService {
 public:
  PaymentService(store::Database& db, store::PaymentRepository& payments, store::UserRepository& users,
                 PaystackClient& paystack, PaymentLimits limits)
      : db_(db), payments_(payments), users_(users), paystack_(paystack), limits_(limits) {}

  struct DepositStarted {
    store::Payment payment;
    std::string authorization_url;
  };
  // A pending deposit and Paystack's checkout page. Ids derive from (user, idempotency key).
  store::Awaitable<DepositStarted> start_deposit(const std::string& user_id, std::int64_t amount,
                                                 const std::string& idempotency_key);

  struct WithdrawalRequest {
    std::int64_t amount;
    std::string bank_code;
    std::string account_number;
    std::string account_name;
  };
  // Moves the amount to pending withdrawals at once (422 insufficient_funds), then asks
  // Paystack for the transfer, unless the amount needs an admin's review first.
  store::Awaitable<store::Payment> request_withdrawal(const std::string& user_id, WithdrawalRequest request,
                                                     const std::string& idempotency_key);
  store::Awaitable<store::Payment> approve_withdrawal(const std::string& id);
  store::Awaitable<store::Payment> reject_withdrawal(const std::string& id);

  // A verified webhook body: charge.success credits a matching pending deposit exactly once;
  // transfer.success / failed / reversed settle a withdrawal. Unknown references are logged.
  store::Awaitable<void> handle_event(std::string_view raw_body);

  void check_amount(std::int64_t amount) const;

 private:
  store::Awaitable<store::Payment> send_transfer(store::Payment withdrawal);
  store::Awaitable<void> return_withdrawal(const std::string& id, const std::string& status, const std::string& message);

  store::Database& db_;
  store::PaymentRepository& payments_;
  store::UserRepository& users_;
  PaystackClient& paystack_;
  PaymentLimits limits_;
};

}  // namespace b2w::payments
