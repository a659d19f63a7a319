#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

// Service metrics for CloudWatch, without an agent: counts and a latency distribution kept per
// thread (an I/O thread adds to its own counters, no lock and no shared cache line), emitted once
// per METRICS_INTERVAL as one Embedded Metric Format line on stdout, which CloudWatch Logs (awslogs)
// turns into metrics in the "Bet2wealth" namespace with an Environment dimension.
namespace b2w::metrics {

enum class Counter : int {
  service_unavailable,                   // 503: a dependency (database, Redis) could not answer
  settlements_resumed,                   // a settlement cut short, finished by the resumer
  settlement_resumer_failures,           // a resumer round that failed (retried next round)
  payments_reconciled,                   // a payment moved by the reconciler (its webhook was lost)
  payment_reconciler_provider_failures,  // a reconciler round cut short by Paystack not answering (backs off)
  payment_reconciler_failures,           // a reconciler round that failed otherwise (the database away)
  feed_messages_applied,                 // a trading feed message applied (sportsbook/feed)
  feed_duplicates,                       // a feed message at or before its event's last sequence: ignored
  feed_gaps,                             // a feed message applied after a skipped sequence (some were missed)
  feed_rejected,                         // a feed message refused (its reason is in the batch's answer)
  feed_rollbacks,                        // a settlement rollback from the feed, left for an operator
  stream_publish_failures,               // a change not pushed to WebSocket clients (the key-value store away)
  kCount
};

// One answered request: its status and the time from the request's arrival to the response.
void record_request(int status, std::chrono::microseconds latency);
void add(Counter counter, std::int64_t n = 1);

// The EMF line (JSON, no newline) for what was recorded since the previous call, or "" when nothing
// was. Call from one thread (the emitter); recording threads never wait for it.
std::string take_emf(std::string_view environment, std::int64_t timestamp_ms);

// Latency buckets: 4 per power of two of microseconds (each about 19% wide).
int latency_bucket(std::int64_t micros);
double bucket_value_ms(int bucket);  // a representative latency of the bucket, in milliseconds

}  // namespace b2w::metrics
