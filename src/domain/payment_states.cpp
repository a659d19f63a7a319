#include "domain/payment_states.hpp"

#include <array>

namespace b2w::domain {
namespace {

using S = PaymentStatus;
using E = PaymentEvent;
using P = PaymentPosting;

constexpr std::array<PaymentTransition, 7> kDeposit{{
    {std::nullopt, E::requested, S::pending, std::nullopt},
    {S::pending, E::checkout_failed, S::failed, std::nullopt},
    // The reconciler's moves when the webhook never came: Paystack says the charge failed or was abandoned, or
    // nothing succeeded within PAYMENT_EXPIRE_AFTER. Both end in failed, so a late charge.success still credits.
    {S::pending, E::charge_failed, S::failed, std::nullopt},
    {S::pending, E::expired, S::failed, std::nullopt},
    {S::failed, E::checkout_retried, S::pending, std::nullopt},
    {S::pending, E::charge_succeeded, S::completed, P::deposit_credit},
    // The customer paid a checkout we had given up on: the money arrived, so it is credited.
    {S::failed, E::charge_succeeded, S::completed, P::deposit_credit},
}};

constexpr std::array<PaymentTransition, 9> kWithdrawal{{
    {std::nullopt, E::requested, S::pending, P::withdrawal_hold},
    {std::nullopt, E::requested_for_review, S::awaiting_review, P::withdrawal_hold},
    {S::awaiting_review, E::approved, S::pending, std::nullopt},
    {S::awaiting_review, E::rejected, S::rejected, P::withdrawal_return},
    {S::pending, E::transfer_refused, S::failed, P::withdrawal_return},
    {S::pending, E::transfer_succeeded, S::completed, P::withdrawal_settle},
    {S::pending, E::transfer_failed, S::failed, P::withdrawal_return},
    // Reversed before we heard of its success (webhooks reordered): the money never left for good.
    {S::pending, E::transfer_reversed, S::reversed, P::withdrawal_return},
    {S::completed, E::transfer_reversed, S::reversed, P::withdrawal_reversal},
}};

const PaymentTransitions kDepositTable{kDeposit};
const PaymentTransitions kWithdrawalTable{kWithdrawal};

constexpr std::array<std::pair<P, std::string_view>, 5> kPrefixes{{
    {P::deposit_credit, "deposit"},
    {P::withdrawal_hold, "withdrawal-hold"},
    {P::withdrawal_return, "withdrawal-return"},
    {P::withdrawal_settle, "withdrawal-settle"},
    {P::withdrawal_reversal, "withdrawal-reversal"},
}};

constexpr std::array<std::pair<S, std::string_view>, 6> kStatusNames{{
    {S::pending, "pending"},
    {S::awaiting_review, "awaiting_review"},
    {S::completed, "completed"},
    {S::failed, "failed"},
    {S::reversed, "reversed"},
    {S::rejected, "rejected"},
}};

}  // namespace

const PaymentTransitions& deposit_transitions() {
  return kDepositTable;
}
const PaymentTransitions& withdrawal_transitions() {
  return kWithdrawalTable;
}
const PaymentTransitions& transitions_of(PaymentKind kind) {
  return kind == PaymentKind::deposit ? kDepositTable : kWithdrawalTable;
}

std::string_view to_string(PaymentKind kind) {
  return kind == PaymentKind::deposit ? "deposit" : "withdrawal";
}

std::optional<PaymentKind> parse_payment_kind(std::string_view text) {
  if (text == "deposit") return PaymentKind::deposit;
  if (text == "withdrawal") return PaymentKind::withdrawal;
  return std::nullopt;
}

std::string_view to_string(PaymentStatus status) {
  for (const auto& [s, name] : kStatusNames)
    if (s == status) return name;
  return "pending";
}

std::optional<PaymentStatus> parse_payment_status(std::string_view text) {
  for (const auto& [s, name] : kStatusNames)
    if (name == text) return s;
  return std::nullopt;
}

std::string_view to_string(PaymentEvent event) {
  switch (event) {
    case E::requested:
      return "requested";
    case E::requested_for_review:
      return "requested_for_review";
    case E::checkout_failed:
      return "checkout_failed";
    case E::checkout_retried:
      return "checkout_retried";
    case E::charge_succeeded:
      return "charge_succeeded";
    case E::charge_failed:
      return "charge_failed";
    case E::expired:
      return "expired";
    case E::approved:
      return "approved";
    case E::rejected:
      return "rejected";
    case E::transfer_refused:
      return "transfer_refused";
    case E::transfer_succeeded:
      return "transfer_succeeded";
    case E::transfer_failed:
      return "transfer_failed";
    case E::transfer_reversed:
      return "transfer_reversed";
  }
  return "requested";
}

std::string_view to_string(PaymentPosting posting) {
  for (const auto& [p, prefix] : kPrefixes)
    if (p == posting) return prefix;
  return "deposit";
}

std::string ledger_transaction_id(PaymentPosting posting, std::string_view payment_id) {
  std::string id(to_string(posting));
  id += ':';
  id += payment_id;
  return id;
}

std::optional<std::pair<PaymentPosting, std::string>> parse_ledger_transaction_id(std::string_view id) {
  const auto colon = id.find(':');
  if (colon == std::string_view::npos || colon + 1 == id.size()) return std::nullopt;
  for (const auto& [p, prefix] : kPrefixes)
    if (id.substr(0, colon) == prefix) return std::pair{p, std::string(id.substr(colon + 1))};
  return std::nullopt;
}

}  // namespace b2w::domain
