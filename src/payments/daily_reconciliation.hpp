#pragma once
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>

#include "domain/reconciliation.hpp"
#include "payments/paystack.hpp"
#include "store/payment_reports.hpp"

namespace b2w::payments {

// The daily reconciliation (issue 21), one service for `bet2wealth reconcile` and GET /admin/reconciliation: for
// one Lagos day, our payments that reached a final status then, Paystack's listings around the day, and the
// clearing-account postings, compared by domain::reconcile. Read-only; everything is awaited (database pool,
// net::HttpClient), nothing blocks an I/O thread.
class DailyReconciliation {
 public:
  // Paystack's listings are asked for the day widened by this on both sides: a payment settled just before or
  // after midnight on one side matches its record without a verify call of its own.
  static constexpr std::chrono::hours kListingMargin{1};
  // At most this many of our payments that Paystack's listings lack are looked up one by one (verify); beyond it
  // they are reported missing_at_paystack as they stand.
  static constexpr int kMaxLookups = 500;
  static constexpr int kBatch = 500;  // payments read per statement

  DailyReconciliation(store::PaymentReportRepository& reports, PaystackClient& paystack)
      : reports_(reports), paystack_(paystack) {}

  // The report of `date`. domain::Error validation_error for a day that has not begun in Lagos;
  // payment_provider_unavailable (unavailable) when Paystack cannot answer: no report then, never a partial one.
  store::Awaitable<domain::ReconciliationReport> run(domain::CalendarDate date);

 private:
  store::PaymentReportRepository& reports_;
  PaystackClient& paystack_;
};

// The report as JSON (the CLI's --json and the admin endpoint's body): date, period, clean, totals per side,
// mismatches, different_day.
boost::json::object report_json(const domain::ReconciliationReport& report);

}  // namespace b2w::payments
