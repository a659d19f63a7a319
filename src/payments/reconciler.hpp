#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "kv/lease.hpp"
#include "payments/paystack.hpp"
#include "payments/service.hpp"

namespace b2w::payments {

struct ReconcilerOptions {
  std::chrono::milliseconds interval = std::chrono::seconds(60);    // PAYMENT_RECONCILE_INTERVAL
  std::chrono::milliseconds after = std::chrono::minutes(10);       // PAYMENT_RECONCILE_AFTER
  std::chrono::milliseconds expire_after = std::chrono::hours(24);  // PAYMENT_EXPIRE_AFTER
  std::chrono::milliseconds lease = std::chrono::minutes(3);        // PAYMENT_RECONCILE_LEASE
  int batch = 100;                                                  // PAYMENT_RECONCILE_BATCH, per kind per round
};

// Recovers payments whose webhook never came. Every interval, the one task holding the lease (kv::Lease, renewed
// before each payment) asks Paystack's verify endpoints about payments pending for longer than `after`, oldest
// first, a batch per kind per round, and applies what Paystack says through PaymentService::apply_notice, the
// webhook's own function: a webhook racing it finds no move, so a payment is credited or settled once. A deposit
// still without a successful charge after `expire_after` expires. Paystack not answering ends the round with
// nothing changed, counted, and the next round comes later (doubling, at most 16 intervals).
class Reconciler {
 public:
  Reconciler(PaymentService& service, store::PaymentRepository& payments, PaystackClient& paystack,
             kv::KeyValueStore& kv, ReconcilerOptions options);

  struct Round {
    int checked = 0;  // payments Paystack was asked about
    int moved = 0;
    bool provider_failed = false;  // Paystack did not answer: the round stopped there
    bool lease_lost = false;       // another task holds the lease now: the round stopped there
  };
  // One round over both kinds, while holding the lease (the caller took it). Throws on database errors.
  store::Awaitable<Round> round();
  // Rounds until the executor stops.
  store::Awaitable<void> run();
  // At exit, after run()'s executor stopped: the lease given up, so another task takes over at its next round
  // rather than after the lease time.
  store::Awaitable<void> release_lease();

 private:
  using Cursor = std::optional<std::pair<std::int64_t, std::string>>;
  store::Awaitable<void> reconcile_kind(domain::PaymentKind kind, Cursor& cursor, Round& round);
  store::Awaitable<bool> reconcile_one(store::Payment payment, std::int64_t expire_before, Round& round);

  PaymentService& service_;
  store::PaymentRepository& payments_;
  PaystackClient& paystack_;
  kv::Lease lease_;
  ReconcilerOptions options_;
  Cursor deposit_cursor_;  // where the next deposit batch starts; a short batch wraps round to the oldest
  Cursor withdrawal_cursor_;
};

}  // namespace b2w::payments
