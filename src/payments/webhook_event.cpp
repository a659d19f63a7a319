#include "payments/webhook_event.hpp"

#include <boost/json/parse.hpp>
#include <stdexcept>

#include "observability/scrub.hpp"
#include "payments/paystack.hpp"

namespace b2w::payments {

namespace {

struct KnownEvent {
  std::string_view name;
  domain::PaymentKind kind;
  domain::PaymentEvent event;
};

// Verified from Paystack's public webhook documentation: charge.success for payments; transfer.success,
// transfer.failed and transfer.reversed for transfers, each with data.reference (ours), data.amount (kobo)
// and data.currency.
constexpr KnownEvent kKnown[] = {
    {"charge.success", domain::PaymentKind::deposit, domain::PaymentEvent::charge_succeeded},
    {"transfer.success", domain::PaymentKind::withdrawal, domain::PaymentEvent::transfer_succeeded},
    {"transfer.failed", domain::PaymentKind::withdrawal, domain::PaymentEvent::transfer_failed},
    {"transfer.reversed", domain::PaymentKind::withdrawal, domain::PaymentEvent::transfer_reversed},
};

// Verified from Paystack's public "Validate Customer" guide: both events carry data.customer_code (and
// customer_id, email, identification); .failed says why in data.reason (assumed to be a string).
std::variant<PaymentNotice, IdentityNotice, IgnoredNotice> identity_notice(const std::string& name,
                                                                           const boost::json::object& data) {
  const auto* code = data.if_contains("customer_code");
  if (!code || !code->is_string() || code->as_string().empty()) return IgnoredNotice{name, "without a customer code"};
  IdentityNotice notice{name, name == "customeridentification.success", std::string(code->as_string()), ""};
  if (const auto* reason = data.if_contains("reason"); reason && reason->is_string())
    notice.reason = scrub::without_long_numbers(std::string(reason->as_string()).substr(0, 300));
  return notice;
}

}  // namespace

std::variant<PaymentNotice, IdentityNotice, IgnoredNotice> parse_webhook(std::string_view raw_body) {
  boost::system::error_code ec;
  auto json = boost::json::parse(raw_body, ec);
  if (ec || !json.is_object()) throw std::invalid_argument("the webhook body is not a JSON object");
  const auto& o = json.as_object();
  const auto* event = o.if_contains("event");
  const auto* data = o.if_contains("data");
  if (!event || !event->is_string() || !data || !data->is_object()) return IgnoredNotice{"", "without event or data"};
  const std::string name(event->as_string());
  if (name == "customeridentification.success" || name == "customeridentification.failed")
    return identity_notice(name, data->as_object());
  const KnownEvent* known = nullptr;
  for (const auto& k : kKnown)
    if (k.name == name) known = &k;
  if (!known) return IgnoredNotice{name, "not an event we act on"};
  const auto& d = data->as_object();
  const auto* ref = d.if_contains("reference");
  if (!ref || !ref->is_string() || ref->as_string().empty()) return IgnoredNotice{name, "without a reference"};
  PaymentNotice notice{name, known->kind, known->event, std::string(ref->as_string()), std::nullopt, ""};
  if (const auto* amount = d.if_contains("amount"); amount && amount->is_int64()) notice.amount = amount->as_int64();
  if (const auto* currency = d.if_contains("currency"); currency && currency->is_string())
    notice.currency = std::string(currency->as_string());
  return notice;
}

}  // namespace b2w::payments
