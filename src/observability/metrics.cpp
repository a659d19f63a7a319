#include "observability/metrics.hpp"

#include <array>
#include <atomic>
#include <bit>
#include <cctype>
#include <charconv>
#include <memory>
#include <mutex>
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

std::string take_emf(std::string_view environment, std::int64_t timestamp_ms) {
  auto& r = registry();
  std::lock_guard lock(r.mu);
  std::array<std::uint64_t, kSlots> slots{};
  std::array<std::uint64_t, static_cast<int>(Counter::kCount)> counters{};
  std::array<std::uint64_t, kBuckets> latency{};
  for (const auto& t : r.threads) {
    for (std::size_t i = 0; i < slots.size(); ++i) slots[i] += t->slots[i].load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < counters.size(); ++i) counters[i] += t->counters[i].load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < latency.size(); ++i) latency[i] += t->latency[i].load(std::memory_order_relaxed);
  }
  // What happened since the previous line: totals only grow, so a difference is never negative.
  auto delta = [](auto& now, auto& before) {
    auto d = now;
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = now[i] - before[i];
    before = now;
    return d;
  };
  const auto d_slots = delta(slots, r.emitted_slots);
  const auto d_counters = delta(counters, r.emitted_counters);
  auto d_latency = delta(latency, r.emitted_latency);

  bool any = d_slots[requests] > 0;
  for (auto n : d_counters) any = any || n > 0;
  if (!any) return {};

  // The latency distribution as EMF values and counts, adjacent buckets merged if over EMF's limit.
  std::vector<std::pair<double, std::uint64_t>> values;
  for (int b = 0; b < kBuckets; ++b)
    if (d_latency[static_cast<std::size_t>(b)] > 0)
      values.emplace_back(bucket_value_ms(b), d_latency[static_cast<std::size_t>(b)]);
  while (values.size() > kMaxValues) {
    std::vector<std::pair<double, std::uint64_t>> merged;
    for (std::size_t i = 0; i < values.size(); i += 2) {
      if (i + 1 == values.size()) {
        merged.push_back(values[i]);
      } else {
        const auto n = values[i].second + values[i + 1].second;
        const auto mean = (values[i].first * static_cast<double>(values[i].second) +
                           values[i + 1].first * static_cast<double>(values[i + 1].second)) /
                          static_cast<double>(n);
        merged.emplace_back(mean, n);
      }
    }
    values = std::move(merged);
  }

  struct Metric {
    const char* name;
    const char* unit;
    std::uint64_t value;
  };
  const Metric counts[] = {
      {"Requests", "Count", d_slots[requests]},
      {"ClientErrors", "Count", d_slots[client_errors]},
      {"ServerErrors", "Count", d_slots[server_errors]},
      {"ServiceUnavailable", "Count", d_counters[static_cast<int>(Counter::service_unavailable)]},
      {"SettlementsResumed", "Count", d_counters[static_cast<int>(Counter::settlements_resumed)]},
      {"SettlementResumerFailures", "Count", d_counters[static_cast<int>(Counter::settlement_resumer_failures)]},
  };

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
  out += values.empty() ? "" : "{\"Name\":\"Latency\",\"Unit\":\"Milliseconds\"},";
  out.pop_back();
  out += "]}]},\"level\":\"info\",\"msg\":\"metrics\",\"Environment\":\"";
  for (char ch : environment)  // a config value of letters: kept to safe characters
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_') out += ch;
  out += '"';
  for (const auto& m : counts) {
    out += ",\"";
    out += m.name;
    out += "\":";
    append_number(out, m.value);
  }
  if (!values.empty()) {
    out += ",\"Latency\":{\"Values\":[";
    for (const auto& [value, n] : values) {
      append_number(out, value);
      out += ',';
    }
    out.back() = ']';
    out += ",\"Counts\":[";
    for (const auto& [value, n] : values) {
      append_number(out, n);
      out += ',';
    }
    out.back() = ']';
    out += '}';
  }
  out += '}';
  return out;
}

}  // namespace b2w::metrics
