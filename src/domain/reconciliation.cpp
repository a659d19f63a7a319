#include "domain/reconciliation.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <tuple>

namespace b2w::domain {

namespace {

constexpr std::int64_t kMicrosPerHour = 3'600'000'000LL;

using Key = std::pair<PaymentKind, std::string>;

std::string amount_text(const std::optional<std::int64_t>& amount) {
  return amount ? std::to_string(*amount) : std::string("none");
}

// What a payment's clearing postings must be, from its status alone (store::payment_transfer: a deposit credit moves
// clearing -> wallet, a settlement pending withdrawals -> clearing, a reversal clearing -> wallet).
bool clearing_matches(const ReconciledPayment& p) {
  const auto sum = p.clearing_sum.value_or(0);
  if (p.kind == PaymentKind::deposit)
    return p.status == PaymentStatus::completed ? p.clearing_entries == 1 && sum == -p.amount : p.clearing_entries == 0;
  switch (p.status) {
    case PaymentStatus::completed:
      return p.clearing_entries == 1 && sum == p.amount;
    case PaymentStatus::reversed:
      // Returned before it settled (no clearing posting), or settled and then reversed (one each way).
      return sum == 0 && (p.clearing_entries == 0 || p.clearing_entries == 2);
    default:
      return p.clearing_entries == 0;
  }
}

std::string expected_clearing(const ReconciledPayment& p) {
  if (p.kind == PaymentKind::deposit && p.status == PaymentStatus::completed)
    return "one credit of " + std::to_string(p.amount) + " out of clearing";
  if (p.kind == PaymentKind::withdrawal && p.status == PaymentStatus::completed)
    return "one settlement of " + std::to_string(p.amount) + " into clearing";
  if (p.kind == PaymentKind::withdrawal && p.status == PaymentStatus::reversed)
    return "none, or a settlement and its reversal";
  return "none";
}

}  // namespace

LagosDay lagos_day(const CalendarDate& date) {
  using namespace std::chrono;
  const sys_days utc_midnight{year{date.year} / month{static_cast<unsigned>(date.month)} /
                              day{static_cast<unsigned>(date.day)}};
  const auto noon = duration_cast<microseconds>(utc_midnight.time_since_epoch()).count() + 12 * kMicrosPerHour;
  LagosDay d;
  d.date = date;
  d.start = lagos_day_start(noon);  // Lagos noon is 11:00 UTC: the same calendar day either way
  d.end = d.start + 24 * kMicrosPerHour;
  return d;
}

bool settles_on(const ReconciledPayment& p, const LagosDay& day) {
  if (!day.contains(p.status_at)) return false;
  if (p.kind == PaymentKind::deposit) return p.status == PaymentStatus::completed;
  return p.status == PaymentStatus::completed || p.status == PaymentStatus::failed ||
         p.status == PaymentStatus::reversed;
}

bool provider_final(const ProviderRecord& r) {
  if (r.kind == PaymentKind::deposit) return r.status == "success";
  return r.status == "success" || r.status == "failed" || r.status == "reversed";
}

std::string_view expected_provider_status(PaymentStatus status) {
  switch (status) {
    case PaymentStatus::completed:
      return "success";
    case PaymentStatus::failed:
      return "failed";
    case PaymentStatus::reversed:
      return "reversed";
    default:
      return "pending";
  }
}

std::string_view to_string(MismatchKind kind) {
  switch (kind) {
    case MismatchKind::missing_at_paystack:
      return "missing_at_paystack";
    case MismatchKind::missing_here:
      return "missing_here";
    case MismatchKind::amount_differs:
      return "amount_differs";
    case MismatchKind::currency_differs:
      return "currency_differs";
    case MismatchKind::status_differs:
      return "status_differs";
    case MismatchKind::ledger_differs:
      return "ledger_differs";
  }
  return "missing_at_paystack";
}

ReconciliationReport reconcile(const LagosDay& day, const std::vector<ReconciledPayment>& ours,
                               const std::vector<ProviderRecord>& theirs,
                               const std::vector<ClearingPosting>& day_postings) {
  ReconciliationReport report;
  report.day = day;
  std::map<Key, const ReconciledPayment*> our_by_ref;
  std::map<std::string, const ReconciledPayment*> our_by_id;
  for (const auto& p : ours) {
    our_by_ref.emplace(Key{p.kind, p.reference}, &p);
    our_by_id.emplace(p.id, &p);
  }
  std::map<Key, const ProviderRecord*> their_by_ref;
  for (const auto& r : theirs) their_by_ref.emplace(Key{r.kind, r.reference}, &r);

  auto add = [&](MismatchKind kind, PaymentKind payment_kind, const std::string& reference, std::string detail) {
    report.mismatches.push_back(Mismatch{kind, payment_kind, reference, std::move(detail)});
  };

  // Ours: every payment settled on the day, in (kind, reference) order.
  for (const auto& [key, p] : our_by_ref) {
    if (!settles_on(*p, day)) continue;
    if (p->status == PaymentStatus::completed) {
      auto& totals = report.ours;
      (p->kind == PaymentKind::deposit ? totals.deposits : totals.withdrawals) += 1;
      (p->kind == PaymentKind::deposit ? totals.deposits_kobo : totals.withdrawals_kobo) += p->amount;
    }
    if (p->clearing_sum && !clearing_matches(*p))
      add(MismatchKind::ledger_differs, p->kind, p->reference,
          "we say " + std::string(to_string(p->status)) + " (" + std::to_string(p->amount) +
              "); its clearing postings: " + std::to_string(p->clearing_entries) + " summing to " +
              std::to_string(*p->clearing_sum) + ", expected " + expected_clearing(*p));
    const auto found = their_by_ref.find(key);
    if (found == their_by_ref.end()) {
      // A failed withdrawal may never have reached Paystack (it refused the transfer): nothing moved either way.
      if (p->status != PaymentStatus::failed)
        add(MismatchKind::missing_at_paystack, p->kind, p->reference,
            "we say " + std::string(to_string(p->status)) + "; Paystack has no such " +
                (p->kind == PaymentKind::deposit ? "successful transaction" : "transfer"));
      continue;
    }
    const auto& r = *found->second;
    const auto wanted = expected_provider_status(p->status);
    if (r.status != wanted) {
      // A deposit Paystack still calls abandoned, ongoing, pending ...: no success there. Failed or reversed: it
      // says otherwise.
      const bool absent = p->kind == PaymentKind::deposit && r.status != "failed" && r.status != "reversed";
      add(absent ? MismatchKind::missing_at_paystack : MismatchKind::status_differs, p->kind, p->reference,
          "we say " + std::string(to_string(p->status)) + "; Paystack says " + r.status);
    }
    if (r.amount != p->amount)
      add(MismatchKind::amount_differs, p->kind, p->reference,
          "we say " + std::to_string(p->amount) + " kobo; Paystack says " + amount_text(r.amount));
    if (r.currency != p->currency)
      add(MismatchKind::currency_differs, p->kind, p->reference,
          "we say " + p->currency + "; Paystack says " + (r.currency.empty() ? "none" : r.currency));
    if (r.status == wanted && (!r.settled_at || !day.contains(*r.settled_at)))
      report.different_day.push_back(DayShift{p->kind, p->reference, p->status_at, r.settled_at});
  }

  // Paystack's: every record it settled on the day, in (kind, reference) order.
  for (const auto& [key, r] : their_by_ref) {
    if (!provider_final(*r) || !r->settled_at || !day.contains(*r->settled_at)) continue;
    if (r->status == "success") {
      auto& totals = report.paystack;
      (r->kind == PaymentKind::deposit ? totals.deposits : totals.withdrawals) += 1;
      (r->kind == PaymentKind::deposit ? totals.deposits_kobo : totals.withdrawals_kobo) += r->amount.value_or(0);
    }
    const auto found = our_by_ref.find(key);
    if (found == our_by_ref.end()) {
      add(MismatchKind::missing_here, r->kind, r->reference,
          "Paystack says " + r->status + " (" + amount_text(r->amount) + " " + r->currency +
              "); we know no payment with this reference");
      continue;
    }
    const auto& p = *found->second;
    if (settles_on(p, day)) continue;  // compared above
    if (expected_provider_status(p.status) == r->status) {
      // Both final and agreeing, settled on another day of ours: amount and currency are compared on that day.
      report.different_day.push_back(DayShift{p.kind, p.reference, p.status_at, r->settled_at});
      continue;
    }
    add(r->status == "success" ? MismatchKind::missing_here : MismatchKind::status_differs, r->kind, r->reference,
        "Paystack says " + r->status + "; we say " + std::string(to_string(p.status)));
  }

  // The ledger's: clearing postings of the day whose payment did not settle on the day must belong to a payment
  // that moved on later (a withdrawal settled today and reversed tomorrow); anything else is unexplained.
  std::set<std::string> reported;
  for (const auto& posting : day_postings) {
    const auto found = our_by_id.find(posting.payment_id);
    const ReconciledPayment* p = found == our_by_id.end() ? nullptr : found->second;
    if (p && settles_on(*p, day)) continue;
    if (p && p->status_at >= day.end && p->status != PaymentStatus::pending &&
        p->status != PaymentStatus::awaiting_review)
      continue;
    const auto name = p ? p->reference : posting.transaction_id;
    if (!reported.insert(name).second) continue;
    add(MismatchKind::ledger_differs, p ? p->kind : PaymentKind::deposit, name,
        p ? "a clearing posting (" + posting.transaction_id + ", " + std::to_string(posting.amount) +
                ") on the day, but the payment is " + std::string(to_string(p->status)) + " since another day"
          : "a clearing posting (" + std::to_string(posting.amount) + ") on the day that names no payment we have");
  }
  return report;
}

}  // namespace b2w::domain
