#include "payments/daily_reconciliation.hpp"

#include <map>
#include <set>

#include "domain/error.hpp"
#include "observability/log.hpp"
#include "observability/metrics.hpp"
#include "store/ledger.hpp"
#include "util/time.hpp"

namespace b2w::payments {

using domain::Error;
using domain::ErrorKind;
using domain::PaymentKind;
using domain::PaymentStatus;
using domain::ProviderRecord;
using domain::ReconciledPayment;

namespace {

using Key = std::pair<PaymentKind, std::string>;

ProviderRecord record_of(PaymentKind kind, ListedPayment listed) {
  return ProviderRecord{
      kind, std::move(listed.reference), std::move(listed.status), listed.amount, listed.currency, listed.settled_at};
}

Error provider_unavailable(const ProviderError& e) {
  log::error("daily reconciliation: Paystack did not answer").str("error", e.what());
  return Error(ErrorKind::unavailable, "payment_provider_unavailable",
               "Paystack could not be asked for its records; no reconciliation report was made");
}

boost::json::object totals_json(const domain::SideTotals& t) {
  return boost::json::object{
      {"deposits", boost::json::object{{"count", t.deposits}, {"kobo", t.deposits_kobo}}},
      {"withdrawals", boost::json::object{{"count", t.withdrawals}, {"kobo", t.withdrawals_kobo}}}};
}

}  // namespace

store::Awaitable<domain::ReconciliationReport> DailyReconciliation::run(domain::CalendarDate date) {
  const auto day = domain::lagos_day(date);
  if (day.start > store::now_micros())
    throw Error::validation("The day has not begun in Lagos yet").detail("date", "is in the future");

  // Ours: every payment that reached a final status on the day, in batches.
  std::vector<ReconciledPayment> ours;
  std::set<Key> known;
  const std::pair<PaymentKind, PaymentStatus> settled[] = {{PaymentKind::deposit, PaymentStatus::completed},
                                                           {PaymentKind::withdrawal, PaymentStatus::completed},
                                                           {PaymentKind::withdrawal, PaymentStatus::failed},
                                                           {PaymentKind::withdrawal, PaymentStatus::reversed}};
  for (const auto& [kind, status] : settled) {
    std::optional<std::pair<std::int64_t, std::string>> after;
    for (;;) {
      auto batch = co_await reports_.settled_between(kind, status, day.start, day.end, after, kBatch);
      for (auto& p : batch) {
        known.insert(Key{p.kind, p.reference});
        ours.push_back(std::move(p));
      }
      if (batch.size() < static_cast<std::size_t>(kBatch)) break;
      after = std::pair{ours.back().status_at, ours.back().id};
    }
  }
  const std::size_t day_set = ours.size();

  // Paystack's: its listings around the day, then our payments they lack, one by one (bounded).
  std::map<Key, ProviderRecord> theirs;
  std::optional<ProviderError> failed;
  try {
    const auto margin = std::chrono::duration_cast<std::chrono::microseconds>(kListingMargin).count();
    auto transactions = co_await paystack_.list_transactions(day.start - margin, day.end + margin);
    auto transfers = co_await paystack_.list_transfers(day.start - margin, day.end + margin);
    // A reference listed twice (offset pages shift while new records arrive): the later page's copy is kept.
    for (auto& t : transactions) {
      auto r = record_of(PaymentKind::deposit, std::move(t));
      theirs.insert_or_assign(Key{r.kind, r.reference}, std::move(r));
    }
    for (auto& t : transfers) {
      auto r = record_of(PaymentKind::withdrawal, std::move(t));
      theirs.insert_or_assign(Key{r.kind, r.reference}, std::move(r));
    }
    int lookups = 0;
    for (std::size_t i = 0; i < day_set && lookups < kMaxLookups; ++i) {
      const auto& p = ours[i];
      const Key key{p.kind, p.reference};
      if (theirs.contains(key) || p.status == PaymentStatus::failed) continue;
      ++lookups;
      std::string reference = p.reference;
      // (Two statements, not co_await inside ?:, which GCC 12 miscompiles.)
      std::optional<Verification> verified;
      if (p.kind == PaymentKind::deposit) {
        verified = co_await paystack_.verify_transaction(reference);
      } else {
        verified = co_await paystack_.verify_transfer(reference);
      }
      if (verified)
        theirs.insert_or_assign(key, ProviderRecord{p.kind, p.reference, verified->status, verified->amount,
                                                    verified->currency, std::nullopt});
    }
  } catch (const ProviderError& e) {
    failed = e;
  }
  if (failed) throw provider_unavailable(*failed);

  // Payments Paystack's records of the day name that did not settle on our day: looked up by reference.
  for (const auto& [key, r] : theirs) {
    if (known.contains(key) || !r.settled_at || !day.contains(*r.settled_at) || !domain::provider_final(r)) continue;
    std::string reference = key.second;
    auto found = co_await reports_.by_reference(reference);
    if (found) {
      known.insert(Key{found->kind, found->reference});
      ours.push_back(std::move(*found));
    }
  }

  // The ledger's: the clearing shards' entries of the day, and the payments they name that we have not read.
  std::vector<domain::ClearingPosting> postings;
  std::set<std::string> ids;
  for (const auto& p : ours) ids.insert(p.id);
  for (std::size_t shard = 0; shard < store::kPaystackClearingShards; ++shard) {
    auto entries = co_await reports_.clearing_postings(shard, day.start, day.end);
    for (auto& e : entries) {
      if (!e.payment_id.empty() && !ids.contains(e.payment_id)) {
        std::string id = e.payment_id;
        auto found = co_await reports_.by_id(id);
        ids.insert(id);
        if (found) ours.push_back(std::move(*found));
      }
      postings.push_back(std::move(e));
    }
  }

  std::vector<ProviderRecord> records;
  records.reserve(theirs.size());
  for (auto& [key, r] : theirs) records.push_back(std::move(r));
  auto report = domain::reconcile(day, ours, records, postings);
  metrics::add(metrics::Counter::reconciliation_mismatches, static_cast<std::int64_t>(report.mismatches.size()));
  co_return report;
}

boost::json::object report_json(const domain::ReconciliationReport& report) {
  boost::json::array mismatches;
  for (const auto& m : report.mismatches)
    mismatches.push_back(boost::json::object{{"kind", domain::to_string(m.kind)},
                                             {"payment_kind", domain::to_string(m.payment_kind)},
                                             {"reference", m.reference},
                                             {"detail", m.detail}});
  boost::json::array shifted;
  for (const auto& d : report.different_day) {
    boost::json::object item{
        {"payment_kind", domain::to_string(d.payment_kind)}, {"reference", d.reference}, {"our_at", rfc3339(d.our_at)}};
    item["their_at"] = d.their_at ? boost::json::value(rfc3339(*d.their_at)) : boost::json::value(nullptr);
    shifted.push_back(std::move(item));
  }
  return boost::json::object{
      {"date", domain::to_string(report.day.date)},
      {"timezone", "Africa/Lagos"},
      {"from", rfc3339(report.day.start)},
      {"to", rfc3339(report.day.end)},
      {"currency", "NGN"},
      {"clean", report.clean()},
      {"totals", boost::json::object{{"ours", totals_json(report.ours)}, {"paystack", totals_json(report.paystack)}}},
      {"mismatches", std::move(mismatches)},
      {"different_day", std::move(shifted)}};
}

}  // namespace b2w::payments
