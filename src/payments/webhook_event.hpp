#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "domain/payment_states.hpp"

// Paystack's webhook bodies as far as we use them: pure parsing, no I/O.
namespace b2w::payments {

// An event that concerns a payment of ours: which one (our reference), what it says happened, and the
// amount (kobo) and currency it says so for, checked against the payment before anything moves.
struct PaymentNotice {
  std::string name;  // Paystack's event name, for the logs
  domain::PaymentKind kind;
  domain::PaymentEvent event;
  std::string reference;
  std::optional<std::int64_t> amount;  // nullopt: missing or not an integer
  std::string currency;
};

// customeridentification.success / .failed: the outcome of a customer validation (KYC), for Paystack's customer
// code. Only what we use is read: never the masked BVN or account number the event carries.
struct IdentityNotice {
  std::string name;
  bool verified = false;
  std::string customer_code;
  std::string reason;  // .failed: why, as Paystack says (its digits runs removed)
};

// An event we acknowledge without acting on it (another event type, or one without a reference).
struct IgnoredNotice {
  std::string name;
  std::string why;
};

// Throws std::invalid_argument when the body is not a JSON object.
std::variant<PaymentNotice, IdentityNotice, IgnoredNotice> parse_webhook(std::string_view raw_body);

}  // namespace b2w::payments
