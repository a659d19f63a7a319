#include "observability/metrics.hpp"

#include <array>
#include <atomic>
#include <bit>
#include <cctype>
#include <charconv>
#include <climits>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

namespace b2w::metrics {
namespace {

constexpr int kBuckets = 4 * 40;         // up to 2^40 us (12 days): every latency has a bucket
constexpr std::size_t kMaxValues = 100;  // EMF's limit of values per distribution

enum Slot : int { requests, client_errors, server_errors, kSlots };

// Written by one thread only (load + store, no locked read-modify-write); read by the emitter.
struct ThreadCounters {
  std::array<std::atomic<std::uint64_t>, kSlots> slots{};
  std::array<std::atomic<std::uint64_t>, static_cast<int>(Counter::kCount)> counters{};
  std::array<std::atomic<std::uint64_t>, kBuckets> latency{};
};

void bump(std::atomic<std::uint64_t>& cell, std::uint64_t n) {
  cell.store(cell.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

// Every thread's counters, kept after the thread ends so no count is lost; and what was emitted.
struct Registry {
  std::mutex mu;
  std::vector<std::shared_ptr<ThreadCounters>> threads;
  std::array<std::uint64_t, kSlots> emitted_slots{};
  std::array<std::uint64_t, static_cast<int>(Counter::kCount)> emitted_counters{};
  std::array<std::uint64_t, kBuckets> emitted_latency{};
};

Registry& registry() {
  static Registry r;
  return r;
}

// Gauges are shared (observed rarely: a background round, a blocking-pool admission): the interval's highest.
constexpr std::int64_t kUnseen = INT64_MIN;
struct GaugeCells {
  std::array<std::atomic<std::int64_t>, static_cast<int>(Gauge::kCount)> cells;
  GaugeCells() {
    for (auto& cell : cells) cell.store(kUnseen, std::memory_order_relaxed);
  }
};

std::array<std::atomic<std::int64_t>, static_cast<int>(Gauge::kCount)>& gauges() {
  static GaugeCells g;
  return g.cells;
}

ThreadCounters& mine() {
  thread_local const std::shared_ptr<ThreadCounters> counters = [] {
    auto c = std::make_shared<ThreadCounters>();
    std::lock_guard lock(registry().mu);
    registry().threads.push_back(c);
    return c;
  }();
  return *counters;
}

void append_number(std::string& out, double value) {
  char digits[32];
  const auto end = std::to_chars(digits, digits + sizeof digits, value, std::chars_format::general, 6).ptr;
  out.append(digits, end);
}

void append_number(std::string& out, std::uint64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

}  // namespace

int latency_bucket(std::int64_t micros) {
  if (micros < 4) return static_cast<int>(std::max<std::int64_t>(micros, 0));  // 0..3: exact
  const auto v = static_cast<std::uint64_t>(micros);
  const int msb = 63 - std::countl_zero(v);
  const int bucket = msb * 4 + static_cast<int>((v >> (msb - 2)) & 3);
  return std::min(bucket, kBuckets - 1);
}

double bucket_value_ms(int bucket) {
  if (bucket < 4) return bucket / 1000.0;
  const int msb = bucket / 4;
  const double low = static_cast<double>((std::uint64_t{4} + static_cast<std::uint64_t>(bucket % 4)) << (msb - 2));
  const double width = static_cast<double>(std::uint64_t{1} << (msb - 2));
  return (low + width / 2) / 1000.0;
}

void record_request(int status, std::chrono::microseconds latency) {
  auto& c = mine();
  bump(c.slots[requests], 1);
  if (status >= 400 && status < 500) bump(c.slots[client_errors], 1);
  // 503s are the service saying "not now" (draining, a dependency down: counted on their own).
  if (status >= 500 && status != 503) bump(c.slots[server_errors], 1);
  bump(c.latency[static_cast<std::size_t>(latency_bucket(latency.count()))], 1);
}

void add(Counter counter, std::int64_t n) {
  bump(mine().counters[static_cast<std::size_t>(counter)], static_cast<std::uint64_t>(n));
}

void observe(Gauge gauge, std::int64_t value) {
  auto& cell = gauges()[static_cast<std::size_t>(gauge)];
  auto seen = cell.load(std::memory_order_relaxed);
  while (value > seen && !cell.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

namespace {

using Slots = std::array<std::uint64_t, kSlots>;
using Counters = std::array<std::uint64_t, static_cast<int>(Counter::kCount)>;
using Latency = std::array<std::uint64_t, kBuckets>;

// What happened since the previous call: every thread's totals, less what was emitted before. Totals only
// grow, so a difference is never negative. Called with the registry's lock held.
struct Since {
  Slots slots;
  Counters counters;
  Latency latency;
};

Since take_since_emitted(Registry& r) {
  Since now{};
  for (const auto& t : r.threads) {
    for (std::size_t i = 0; i < now.slots.size(); ++i) now.slots[i] += t->slots[i].load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < now.counters.size(); ++i)
      now.counters[i] += t->counters[i].load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < now.latency.size(); ++i)
      now.latency[i] += t->latency[i].load(std::memory_order_relaxed);
  }
  auto delta = [](const auto& total, auto& before) {
    auto d = total;
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = total[i] - before[i];
    before = total;
    return d;
  };
  return {delta(now.slots, r.emitted_slots), delta(now.counters, r.emitted_counters),
          delta(now.latency, r.emitted_latency)};
}

// The latency distribution as EMF values and counts, adjacent buckets merged while over EMF's limit.
std::vector<std::pair<double, std::uint64_t>> emf_distribution(const Latency& latency) {
  std::vector<std::pair<double, std::uint64_t>> values;
  for (int b = 0; b < kBuckets; ++b)
    if (latency[static_cast<std::size_t>(b)] > 0)
      values.emplace_back(bucket_value_ms(b), latency[static_cast<std::size_t>(b)]);
  while (values.size() > kMaxValues) {
    std::vector<std::pair<double, std::uint64_t>> merged;
    for (std::size_t i = 0; i < values.size(); i += 2) {
      if (i + 1 == values.size()) {
        merged.push_back(values[i]);
        continue;
      }
      const auto n = values[i].second + values[i + 1].second;
      const auto mean = (values[i].first * static_cast<double>(values[i].second) +
                         values[i + 1].first * static_cast<double>(values[i + 1].second)) /
                        static_cast<double>(n);
      merged.emplace_back(mean, n);
    }
    values = std::move(merged);
  }
  return values;
}

struct Metric {
  const char* name;
  std::int64_t value;
  const char* unit = "Count";
};

// One EMF line: the metric declarations under _aws, then each value as a top-level member.
std::string render_emf(std::string_view environment, std::int64_t timestamp_ms, std::span<const Metric> counts,
                       const std::vector<std::pair<double, std::uint64_t>>& latency) {
  std::string out = "{\"_aws\":{\"Timestamp\":";
  append_number(out, static_cast<std::uint64_t>(timestamp_ms));
  out += ",\"CloudWatchMetrics\":[{\"Namespace\":\"Bet2wealth\",\"Dimensions\":[[\"Environment\"]],\"Metrics\":[";
  for (const auto& m : counts) {
    out += "{\"Name\":\"";
    out += m.name;
    out += "\",\"Unit\":\"";
    out += m.unit;
    out += "\"},";
  }
  out += latency.empty() ? "" : "{\"Name\":\"Latency\",\"Unit\":\"Milliseconds\"},";
  out.pop_back();
  out += "]}]},\"level\":\"info\",\"msg\":\"metrics\",\"Environment\":\"";
  for (char ch : environment)  // a config value of letters: kept to safe characters
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_') out += ch;
  out += '"';
  for (const auto& m : counts) {
    out += ",\"";
    out += m.name;
    out += "\":";
    if (m.value < 0) out += '-';
    append_number(out, m.value < 0 ? 0 - static_cast<std::uint64_t>(m.value) : static_cast<std::uint64_t>(m.value));
  }
  if (!latency.empty()) {
    out += ",\"Latency\":{\"Values\":[";
    for (const auto& [value, n] : latency) {
      append_number(out, value);
      out += ',';
    }
    out.back() = ']';
    out += ",\"Counts\":[";
    for (const auto& [value, n] : latency) {
      append_number(out, n);
      out += ',';
    }
    out.back() = ']';
    out += '}';
  }
  out += '}';
  return out;
}

}  // namespace

std::string take_emf(std::string_view environment, std::int64_t timestamp_ms) {
  auto& r = registry();
  std::lock_guard lock(r.mu);
  const Since d = take_since_emitted(r);
  std::array<std::int64_t, static_cast<int>(Gauge::kCount)> levels{};
  bool any = d.slots[requests] > 0;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    levels[i] = gauges()[i].exchange(kUnseen, std::memory_order_relaxed);
    any = any || levels[i] != kUnseen;
  }
  for (auto n : d.counters) any = any || n > 0;
  if (!any) return {};

  auto counter = [&d](Counter c) { return static_cast<std::int64_t>(d.counters[static_cast<std::size_t>(c)]); };
  auto slot = [&d](Slot s) { return static_cast<std::int64_t>(d.slots[s]); };
  std::vector<Metric> counts = {
      {"Requests", slot(requests)},
      {"ClientErrors", slot(client_errors)},
      {"ServerErrors", slot(server_errors)},
      {"ServiceUnavailable", counter(Counter::service_unavailable)},
      {"SettlementsResumed", counter(Counter::settlements_resumed)},
      {"SettlementResumerFailures", counter(Counter::settlement_resumer_failures)},
      {"PaymentsReconciled", counter(Counter::payments_reconciled)},
      {"PaymentReconcilerProviderFailures", counter(Counter::payment_reconciler_provider_failures)},
      {"PaymentReconcilerFailures", counter(Counter::payment_reconciler_failures)},
      {"FeedMessagesApplied", counter(Counter::feed_messages_applied)},
      {"FeedDuplicates", counter(Counter::feed_duplicates)},
      {"FeedGaps", counter(Counter::feed_gaps)},
      {"FeedRejected", counter(Counter::feed_rejected)},
      {"FeedRollbacks", counter(Counter::feed_rollbacks)},
      {"StreamPublishFailures", counter(Counter::stream_publish_failures)},
      // Business metrics (amounts in kobo).
      {"BetsPlaced", counter(Counter::bets_placed)},
      {"BetsPlacedStake", counter(Counter::bets_placed_stake), "None"},
      {"BetsSettled", counter(Counter::bets_settled)},
      {"BetsSettledStake", counter(Counter::bets_settled_stake), "None"},
      {"BetsSettledPayout", counter(Counter::bets_settled_payout), "None"},
      {"GGR", counter(Counter::bets_settled_stake) - counter(Counter::bets_settled_payout), "None"},
      {"DepositsRequested", counter(Counter::deposits_requested)},
      {"DepositsRequestedAmount", counter(Counter::deposits_requested_amount), "None"},
      {"DepositsCompleted", counter(Counter::deposits_completed)},
      {"DepositsCompletedAmount", counter(Counter::deposits_completed_amount), "None"},
      {"DepositsFailed", counter(Counter::deposits_failed)},
      {"DepositsFailedAmount", counter(Counter::deposits_failed_amount), "None"},
      {"WithdrawalsRequested", counter(Counter::withdrawals_requested)},
      {"WithdrawalsRequestedAmount", counter(Counter::withdrawals_requested_amount), "None"},
      {"WithdrawalsCompleted", counter(Counter::withdrawals_completed)},
      {"WithdrawalsCompletedAmount", counter(Counter::withdrawals_completed_amount), "None"},
      {"WithdrawalsFailed", counter(Counter::withdrawals_failed)},
      {"WithdrawalsFailedAmount", counter(Counter::withdrawals_failed_amount), "None"},
      {"WebhooksAccepted", counter(Counter::webhooks_accepted)},
      {"WebhooksDuplicate", counter(Counter::webhooks_duplicate)},
      {"WebhooksBadSignature", counter(Counter::webhooks_bad_signature)},
      {"CasinoCallbacks", counter(Counter::casino_callbacks)},
      {"CasinoCallbacksRefused", counter(Counter::casino_callbacks_refused)},
      {"LoginsSucceeded", counter(Counter::logins_succeeded)},
      {"LoginsFailed", counter(Counter::logins_failed)},
      {"LoginsLimited", counter(Counter::logins_limited)},
      {"UnavailableDatabase", counter(Counter::unavailable_database)},
      {"UnavailableCache", counter(Counter::unavailable_cache)},
      {"UnavailableBlockingPool", counter(Counter::unavailable_blocking_pool)},
      {"DatabasePoolWaits", counter(Counter::database_pool_waits)},
      {"DatabasePoolWaitTime", counter(Counter::database_pool_wait_us), "Microseconds"},
      {"DatabasePoolExhausted", counter(Counter::database_pool_exhausted)},
      {"CachePoolWaits", counter(Counter::cache_pool_waits)},
      {"CachePoolWaitTime", counter(Counter::cache_pool_wait_us), "Microseconds"},
      {"ReconciliationMismatches", counter(Counter::reconciliation_mismatches)},
  };
  // Gauges only when observed in the interval (CloudWatch then sees missing data, not a made-up zero).
  const auto gauge = [&](Gauge g, const char* name, const char* unit) {
    if (const auto v = levels[static_cast<std::size_t>(g)]; v != kUnseen) counts.push_back({name, v, unit});
  };
  gauge(Gauge::blocking_pool_queue_depth, "BlockingPoolQueueDepth", "Count");
  gauge(Gauge::settlement_lag_seconds, "SettlementLag", "Seconds");
  gauge(Gauge::reconciliation_lag_seconds, "ReconciliationLag", "Seconds");
  return render_emf(environment, timestamp_ms, counts, emf_distribution(d.latency));
}

}  // namespace b2w::metrics
