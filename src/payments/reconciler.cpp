#include "payments/reconciler.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "observability/log.hpp"
#include "observability/metrics.hpp"
#include "observability/sentry.hpp"
#include "payments/verification_notice.hpp"

namespace b2w::payments {

using domain::PaymentKind;
using store::Awaitable;
using store::Payment;

namespace {

constexpr int kMaxBackoffDoublings = 4;  // at most 16 intervals between rounds while Paystack does not answer

std::int64_t micros(std::chrono::milliseconds d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

}  // namespace

Reconciler::Reconciler(PaymentService& service, store::PaymentRepository& payments, PaystackClient& paystack,
                       kv::KeyValueStore& kv, ReconcilerOptions options)
    : service_(service),
      payments_(payments),
      paystack_(paystack),
      lease_(kv, "payments:reconciler:lease", options.lease),
      options_(options) {}

Awaitable<bool> Reconciler::reconcile_one(Payment p, std::int64_t expire_before, Round& round) {
  // The lease is renewed before each Paystack call, so a slow round never outlives it unnoticed.
  const bool holding = co_await lease_.hold();
  if (!holding) {
    round.lease_lost = true;
    co_return false;
  }
  std::optional<Verification> verified;
  std::optional<std::string> failure;
  ++round.checked;
  try {
    if (p.kind == PaymentKind::deposit)
      verified = co_await paystack_.verify_transaction(p.reference);
    else
      verified = co_await paystack_.verify_transfer(p.reference);
  } catch (const ProviderError& e) {
    failure = e.what();
  }
  if (failure) {
    round.provider_failed = true;
    metrics::add(metrics::Counter::payment_reconciler_provider_failures);
    log::warn("payment reconciler: Paystack did not answer; nothing changed, retrying later")
        .str("payment_id", p.id)
        .str("error", *failure);
    co_return false;
  }
  std::optional<PaymentNotice> notice;
  if (verified) notice = notice_from_verification(p.kind, p.reference, *verified);
  if (!notice && p.kind == PaymentKind::deposit && p.created_at <= expire_before)
    notice = expiry_notice(p.reference, p.amount, p.currency);
  if (!notice) {
    if (!verified)
      log::warn("payment reconciler: Paystack knows no payment with this reference")
          .str("payment_id", p.id)
          .str("kind", domain::to_string(p.kind));
    co_return true;
  }
  auto applied = *notice;
  const auto outcome = co_await service_.apply_notice(std::move(applied));
  if (outcome == PaymentService::NoticeOutcome::moved) {
    ++round.moved;
    metrics::add(metrics::Counter::payments_reconciled);
    log::info("payment reconciled").str("payment_id", p.id).str("event", notice->name);
  }
  co_return true;
}

Awaitable<void> Reconciler::reconcile_kind(PaymentKind kind, Cursor& cursor, Round& round) {
  const auto now = store::now_micros();
  const auto due_by = now - micros(options_.after);
  const auto expire_before = now - micros(options_.expire_after);
  auto after = cursor;
  const auto due = co_await payments_.oldest_pending(kind, due_by, std::move(after), options_.batch);
  // The age of the oldest payment due (the first of a round from the start): how far behind the webhooks are.
  if (!cursor)
    metrics::observe(metrics::Gauge::reconciliation_lag_seconds,
                     due.empty() ? 0 : (now - due.front().created_at) / 1'000'000);
  // A full batch: the next round goes on after it, so payments Paystack keeps calling pending cannot starve the
  // younger ones; a short one: the next round starts again from the oldest.
  cursor.reset();
  if (static_cast<int>(due.size()) == options_.batch) cursor = std::pair{due.back().created_at, due.back().id};
  for (const auto& p : due) {
    const bool go_on = co_await reconcile_one(p, expire_before, round);
    if (!go_on) {
      cursor.reset();  // cut short: the same payments come first next time
      co_return;
    }
  }
}

Awaitable<Reconciler::Round> Reconciler::round() {
  Round r;
  co_await reconcile_kind(PaymentKind::deposit, deposit_cursor_, r);
  if (!r.provider_failed && !r.lease_lost) co_await reconcile_kind(PaymentKind::withdrawal, withdrawal_cursor_, r);
  co_return r;
}

namespace {

// A round, its exceptions caught (no co_await may sit in a catch block).
Awaitable<std::optional<Reconciler::Round>> guarded_round(Reconciler& reconciler, std::string& error) {
  try {
    auto r = co_await reconciler.round();
    co_return r;
  } catch (const std::exception& e) {
    error = e.what();
    sentry::report({.type = sentry::type_name(e), .message = error, .component = "payment_reconciler"});
  }
  co_return std::nullopt;
}

}  // namespace

Awaitable<void> Reconciler::run() {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  int failures = 0;
  for (;;) {
    timer.expires_after(options_.interval * (1 << std::min(failures, kMaxBackoffDoublings)));
    auto [ec] = co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (ec) co_return;
    const bool was_holding = lease_.held();
    const bool holding = co_await lease_.hold();
    if (holding != was_holding)
      log::info(holding ? "payment reconciler lease taken" : "payment reconciler lease lost")
          .str("holder", lease_.holder());
    if (!holding) {
      failures = 0;
      continue;
    }
    std::string error;
    const auto r = co_await guarded_round(*this, error);
    if (!r) {
      ++failures;
      metrics::add(metrics::Counter::payment_reconciler_failures);
      log::warn("payment reconciler round failed; retrying later").str("error", error);
      continue;
    }
    failures = r->provider_failed ? failures + 1 : 0;
    if (r->checked > 0)
      log::info("payment reconciler round")
          .num("checked", r->checked)
          .num("moved", r->moved)
          .str("paystack", r->provider_failed ? "unreachable" : "ok");
  }
}

Awaitable<void> Reconciler::release_lease() {
  if (!lease_.held()) co_return;
  co_await lease_.release();
  log::info("payment reconciler lease released").str("holder", lease_.holder());
}

}  // namespace b2w::payments
