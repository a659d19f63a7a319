#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "domain/state_machine.hpp"

// Deposits and withdrawals through the payment provider: their states, the events that move them and
// the ledger posting each move makes. Pure; the payment service applies these moves, `ledger verify`
// checks every payment's postings against them.
namespace b2w::domain {

enum class PaymentKind { deposit, withdrawal };
enum class PaymentStatus { pending, awaiting_review, completed, failed, reversed, rejected };

enum class PaymentEvent {
  requested,             // deposit or withdrawal created (a withdrawal holds its amount at once)
  requested_for_review,  // a withdrawal above the review threshold
  checkout_failed,       // deposit: the provider certainly did not create the checkout
  checkout_retried,      // deposit: the same request again after checkout_failed
  charge_succeeded,      // deposit: the provider's charge.success, amount and currency matching
  charge_failed,         // deposit: the provider's verification says failed or abandoned (a lost webhook's answer)
  expired,               // deposit: still pending, and no success known, after PAYMENT_EXPIRE_AFTER
  approved,              // withdrawal: an administrator approved it
  rejected,              // withdrawal: an administrator rejected it
  transfer_refused,      // withdrawal: the provider certainly did not take the transfer
  transfer_succeeded,    // withdrawal: transfer.success
  transfer_failed,       // withdrawal: transfer.failed
  transfer_reversed,     // withdrawal: transfer.reversed (before or after success)
};

// One ledger transaction each, with the id ledger_transaction_id() gives.
enum class PaymentPosting {
  deposit_credit,       // provider clearing -> wallet
  withdrawal_hold,      // wallet -> pending withdrawals
  withdrawal_return,    // pending withdrawals -> wallet (closes the hold)
  withdrawal_settle,    // pending withdrawals -> provider clearing (closes the hold)
  withdrawal_reversal,  // provider clearing -> wallet: paid out, then sent back by the bank
};

using PaymentTransition = Transition<PaymentStatus, PaymentEvent, PaymentPosting>;
using PaymentTransitions = TransitionTable<PaymentStatus, PaymentEvent, PaymentPosting>;

const PaymentTransitions& deposit_transitions();
const PaymentTransitions& withdrawal_transitions();
const PaymentTransitions& transitions_of(PaymentKind kind);

std::string_view to_string(PaymentKind kind);
std::optional<PaymentKind> parse_payment_kind(std::string_view text);
std::string_view to_string(PaymentStatus status);
std::optional<PaymentStatus> parse_payment_status(std::string_view text);
std::string_view to_string(PaymentEvent event);
std::string_view to_string(PaymentPosting posting);

// "withdrawal-hold:<payment id>": the posting's ledger transaction id, also its idempotency key.
std::string ledger_transaction_id(PaymentPosting posting, std::string_view payment_id);
// The posting a ledger transaction id names, and the payment id in it; nullopt for other ids.
std::optional<std::pair<PaymentPosting, std::string>> parse_ledger_transaction_id(std::string_view id);

}  // namespace b2w::domain
