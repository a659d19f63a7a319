#pragma once
#include <optional>

#include "payments/paystack.hpp"
#include "payments/webhook_event.hpp"

// What the reconciler learns from Paystack's verify endpoints, as the notice a webhook would have brought, so
// both are applied by one function (PaymentService::apply_notice). Pure.
namespace b2w::payments {

// The notice for what Paystack says of our payment `reference` of `kind`: deposits success -> charge_succeeded,
// failed / abandoned / reversed -> charge_failed; withdrawals success -> transfer_succeeded, failed ->
// transfer_failed, reversed -> transfer_reversed. nullopt while Paystack's status is not final (pending,
// ongoing, otp, ...) or when its answer names another reference.
std::optional<PaymentNotice> notice_from_verification(domain::PaymentKind kind, const std::string& reference,
                                                      const Verification& verification);

// The notice that expires a deposit still pending after PAYMENT_EXPIRE_AFTER (its own amount and currency).
PaymentNotice expiry_notice(const std::string& reference, std::int64_t amount, const std::string& currency);

}  // namespace b2w::payments
