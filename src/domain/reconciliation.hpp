#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/payment_states.hpp"
#include "domain/player_controls.hpp"

// The daily reconciliation's rules (issue 21): which of our payments and which of Paystack's records belong to a
// Lagos day, and what counts as a mismatch between them and the ledger. Pure; payments/daily_reconciliation.* feeds
// it from the store and Paystack.
namespace b2w::domain {

// One Lagos day as [start, end) in epoch microseconds (Lagos is UTC+1 all year: 23:00 UTC to 23:00 UTC).
struct LagosDay {
  CalendarDate date;
  std::int64_t start = 0;
  std::int64_t end = 0;
  bool contains(std::int64_t epoch_micros) const { return epoch_micros >= start && epoch_micros < end; }
};
LagosDay lagos_day(const CalendarDate& date);

// One of our payments as the reconciliation sees it.
struct ReconciledPayment {
  std::string id;
  PaymentKind kind = PaymentKind::deposit;
  std::string reference;
  std::int64_t amount = 0;  // kobo
  std::string currency = "NGN";
  PaymentStatus status = PaymentStatus::pending;
  // When it reached its status (the row's updated_at: a payment in a final status is written again only by its
  // next move, so for completed, failed and reversed payments it is the time of that move).
  std::int64_t status_at = 0;
  // Its postings on Paystack's clearing account (all shards, every day): their sum (the clearing side's entries,
  // signed) and how many there are; nullopt when not read (payments looked up by reference only).
  std::optional<std::int64_t> clearing_sum;
  int clearing_entries = 0;
};

// Whether `p` counts on a day: it reached a final status then (deposits completed; withdrawals completed, failed or
// reversed). Pending, awaiting review, failed deposits and rejected withdrawals moved no money at Paystack.
bool settles_on(const ReconciledPayment& p, const LagosDay& day);

// One record of Paystack's lists (GET /transaction, GET /transfer) or of a verify call.
struct ProviderRecord {
  PaymentKind kind = PaymentKind::deposit;  // transaction: deposit; transfer: withdrawal
  std::string reference;
  std::string status;                  // Paystack's: success, failed, reversed, abandoned, pending, ...
  std::optional<std::int64_t> amount;  // kobo; nullopt when Paystack gave none we could read
  std::string currency;
  // When Paystack says it settled (transactions: paid_at; transfers: updatedAt); nullopt when unknown (verify
  // answers found by reference outside the listed window).
  std::optional<std::int64_t> settled_at;
};

// Paystack's record is final (success; transfers also failed or reversed).
bool provider_final(const ProviderRecord& r);
// The Paystack status our status corresponds to: completed -> success, failed -> failed, reversed -> reversed.
std::string_view expected_provider_status(PaymentStatus status);

// A clearing-account entry posted on the day, with the payment its transaction names ("" for a transaction that
// is no payment posting).
struct ClearingPosting {
  std::string transaction_id;
  std::string payment_id;
  std::int64_t amount = 0;
};

enum class MismatchKind {
  missing_at_paystack,  // we completed it; Paystack has no such success (nor a final transfer)
  missing_here,         // Paystack settled it; we do not know the reference or did not complete it
  amount_differs,
  currency_differs,
  status_differs,  // both final, different outcomes (we completed, Paystack reversed or failed ...)
  ledger_differs,  // the clearing-account postings do not match the payment
};
std::string_view to_string(MismatchKind kind);

struct Mismatch {
  MismatchKind kind = MismatchKind::missing_at_paystack;
  PaymentKind payment_kind = PaymentKind::deposit;
  std::string reference;  // the payment's reference, or the ledger transaction id when no payment is known
  std::string detail;     // for people: what each side says
};

// A payment both sides agree on, settled on different Lagos days (a webhook that arrived after midnight, a
// transfer Paystack closed a day later): listed for information, not a mismatch.
struct DayShift {
  PaymentKind payment_kind = PaymentKind::deposit;
  std::string reference;
  std::int64_t our_at = 0;
  std::optional<std::int64_t> their_at;  // nullopt: not in Paystack's listing window, found by reference
};

struct SideTotals {
  std::int64_t deposits = 0;
  std::int64_t deposits_kobo = 0;
  std::int64_t withdrawals = 0;  // paid out: completed withdrawals / successful transfers
  std::int64_t withdrawals_kobo = 0;
};

struct ReconciliationReport {
  LagosDay day;
  SideTotals ours;
  SideTotals paystack;
  std::vector<Mismatch> mismatches;
  std::vector<DayShift> different_day;
  bool clean() const { return mismatches.empty(); }
};

// Compares one Lagos day. `ours`: our payments settled on the day plus any other payment the other inputs name
// (looked up by reference or id); `theirs`: Paystack's records (its listings around the day and verify answers
// for our payments its listings lack), at most one per kind and reference; `day_postings`: the clearing-account
// entries posted on the day. Mismatches come in order: ours (by kind, then reference), then Paystack's, then the
// ledger's.
ReconciliationReport reconcile(const LagosDay& day, const std::vector<ReconciledPayment>& ours,
                               const std::vector<ProviderRecord>& theirs,
                               const std::vector<ClearingPosting>& day_postings);

}  // namespace b2w::domain
