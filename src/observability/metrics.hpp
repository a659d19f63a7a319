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
  // Business counters: each added once the transaction that made it true has committed (after the service's
  // transaction() returned), so a refused, rolled-back or retried attempt counts nothing. Amounts are in kobo.
  bets_placed,                   // a bet accepted (open, or pending its in-play delay)
  bets_placed_stake,             // their stakes
  bets_settled,                  // a bet closed by settlement (won, lost or void)
  bets_settled_stake,            // their stakes
  bets_settled_payout,           // what they paid back (GGR = settled stake - settled payout)
  deposits_requested,            // a deposit created (checkout asked of Paystack)
  deposits_requested_amount,     // (the amount of each, kobo, as for the other _amount counters)
  deposits_completed,            // a deposit credited (charge.success, from a webhook or the reconciler)
  deposits_completed_amount,     //
  deposits_failed,               // a deposit failed or expired
  deposits_failed_amount,        //
  withdrawals_requested,         // a withdrawal created (its amount held)
  withdrawals_requested_amount,  //
  withdrawals_completed,         // a withdrawal paid out (transfer.success)
  withdrawals_completed_amount,  //
  withdrawals_failed,            // a withdrawal failed, reversed or rejected (its amount back in the wallet)
  withdrawals_failed_amount,     //
  webhooks_accepted,             // a signed Paystack webhook that was applied (or acknowledged as not ours)
  webhooks_duplicate,            // a signed webhook that found its payment moved already (a re-delivery)
  webhooks_bad_signature,        // a webhook refused: signature missing or wrong
  casino_callbacks,              // a casino aggregator wallet call answered
  casino_callbacks_refused,      // one refused (bad signature, unknown player or session, insufficient funds...)
  logins_succeeded,              // a password login that issued tokens
  logins_failed,                 // a password login refused (wrong email or password)
  logins_limited,                // a login refused by the throttle or rate limit (429)
  unavailable_database,          // a 503 because the database could not answer
  unavailable_cache,             // a 503 because the key-value store (Redis) could not answer
  unavailable_blocking_pool,     // a 503 because the blocking pool's queue was full
  database_pool_waits,           // a transaction or query that waited for a pooled PostgreSQL connection
  database_pool_wait_us,         // the time they waited (emitted in microseconds)
  database_pool_exhausted,       // a wait that ended without a connection (the acquire timeout: a 503)
  cache_pool_waits,              // a Redis command that waited for a connection (being opened)
  cache_pool_wait_us,            // the time they waited (emitted in microseconds)
  reconciliation_mismatches,     // a payment whose provider record disagrees with ours (amount, currency, status)
  kCount
};

// Levels seen during an interval; the line carries the highest (absent when none was observed).
enum class Gauge : int {
  blocking_pool_queue_depth,   // jobs admitted to the blocking pool (running or queued)
  settlement_lag_seconds,      // age of the oldest market whose results are recorded but bets not all settled
  reconciliation_lag_seconds,  // age of the oldest pending payment the reconciler found due
  kCount
};

// One answered request: its status and the time from the request's arrival to the response.
void record_request(int status, std::chrono::microseconds latency);
void add(Counter counter, std::int64_t n = 1);
// A level; the interval's line reports the highest observed. Cheap (a relaxed load, rarely a CAS).
void observe(Gauge gauge, std::int64_t value);

// The EMF line (JSON, no newline) for what was recorded since the previous call, or "" when nothing
// was. Call from one thread (the emitter); recording threads never wait for it.
std::string take_emf(std::string_view environment, std::int64_t timestamp_ms);

// Latency buckets: 4 per power of two of microseconds (each about 19% wide).
int latency_bucket(std::int64_t micros);
double bucket_value_ms(int bucket);  // a representative latency of the bucket, in milliseconds

}  // namespace b2w::metrics
