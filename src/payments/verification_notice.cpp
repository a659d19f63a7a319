#include "payments/verification_notice.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace b2w::payments {

namespace {

using domain::PaymentEvent;
using domain::PaymentKind;

struct FinalStatus {
  PaymentKind kind;
  std::string_view status;  // Paystack's data.status
  PaymentEvent event;
};

constexpr std::array<FinalStatus, 7> kFinal{{
    {PaymentKind::deposit, "success", PaymentEvent::charge_succeeded},
    {PaymentKind::deposit, "failed", PaymentEvent::charge_failed},
    {PaymentKind::deposit, "abandoned", PaymentEvent::charge_failed},
    // Refunded or charged back: no money of the customer's stays with us, so nothing is credited.
    {PaymentKind::deposit, "reversed", PaymentEvent::charge_failed},
    {PaymentKind::withdrawal, "success", PaymentEvent::transfer_succeeded},
    {PaymentKind::withdrawal, "failed", PaymentEvent::transfer_failed},
    {PaymentKind::withdrawal, "reversed", PaymentEvent::transfer_reversed},
}};

}  // namespace

std::optional<PaymentNotice> notice_from_verification(PaymentKind kind, const std::string& reference,
                                                      const Verification& verification) {
  if (verification.reference != reference) return std::nullopt;
  for (const auto& f : kFinal)
    if (f.kind == kind && f.status == verification.status)
      return PaymentNotice{
          "verify: " + verification.status, kind, f.event, reference, verification.amount, verification.currency};
  return std::nullopt;
}

PaymentNotice expiry_notice(const std::string& reference, std::int64_t amount, const std::string& currency) {
  return PaymentNotice{"reconciler: expired", PaymentKind::deposit, PaymentEvent::expired, reference, amount, currency};
}

}  // namespace b2w::payments
