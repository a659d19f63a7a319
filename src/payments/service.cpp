#include "payments/service.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "domain/error.hpp"
#include "limits/money_gate.hpp"
#include "observability/log.hpp"
#include "observability/metrics.hpp"
#include "payments/webhook_event.hpp"
#include "store/audit.hpp"
#include "store/ledger.hpp"
#include "util/digest.hpp"

namespace b2w::payments {

using domain::Error;
using domain::ErrorKind;
using domain::PaymentEvent;
using domain::PaymentKind;
using domain::PaymentStatus;
using store::Awaitable;
using store::LedgerRepository;
using store::Payment;
using store::PaymentRepository;
using store::Tx;

namespace {

constexpr std::int64_t kDayMicros = 24LL * 3600 * 1'000'000;

// The audit record of an admin's decision on a withdrawal: its status before and after, and its amount.
store::AuditEntry withdrawal_decided(domain::Actor actor, const char* action, const Payment& p, PaymentStatus before) {
  store::AuditEntry e;
  e.actor = std::move(actor);
  e.action = action;
  e.entity_type = "withdrawal";
  e.entity_id = p.id;
  e.before = boost::json::serialize(boost::json::object{{"status", domain::to_string(before)}});
  e.after = boost::json::serialize(
      boost::json::object{{"status", domain::to_string(p.status)}, {"amount", p.amount}, {"user_id", p.user_id}});
  return e;
}

// A payment id that a retry of the same request (same user, same Idempotency-Key) finds again,
// even after a crash between the ledger move and the response.
std::string derived_id(const char* prefix, const std::string& user_id, const std::string& key) {
  const auto digest = sha256(user_id + "\n" + key);
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  std::string out = std::string(prefix) + "_";
  for (int i = 0; i < 24; ++i) out += kAlphabet[static_cast<unsigned char>(digest[static_cast<std::size_t>(i)]) & 31];
  return out;
}

std::string reference_for(const std::string& id) {
  std::string ref = id;
  for (auto& c : ref)
    if (c == '_') c = '-';  // Paystack references allow letters, digits, '-', '.', '='
  return ref;
}

Error provider_error(const ProviderError& e) {
  log::error("payment provider error").str("error", e.what());
  return Error(ErrorKind::upstream_failed, "payment_provider_error",
               "The payment provider could not process the request; nothing was charged or moved");
}

Error key_reused() {
  return Error(ErrorKind::invalid, "idempotency_key_reused", "This Idempotency-Key was used with a different request");
}

Error invalid_state(const Payment& p, std::string_view wanted) {
  return Error(ErrorKind::conflict, "invalid_state",
               "This withdrawal is " + std::string(domain::to_string(p.status)) + ", not " + std::string(wanted));
}

void check_range(std::int64_t amount, std::int64_t min, std::int64_t max) {
  if (amount < min || amount > max) {
    const auto range = "from " + std::to_string(min) + " to " + std::to_string(max);
    throw Error(ErrorKind::invalid, "invalid_amount", "The amount must be a whole number of kobo " + range)
        .detail("amount", "must be an integer " + range + " (kobo)");
  }
}

// The business metrics of a transaction's payment moves (requested, completed, failed: count and amount), noted
// as the moves are made and added once the transaction has committed (a rolled-back attempt counts nothing).
class Counted {
 public:
  void note(const Payment& p, PaymentStatus to, bool created) {
    using metrics::Counter;
    const bool deposit = p.kind == PaymentKind::deposit;
    if (created)
      noted_.push_back(deposit
                           ? Noted{Counter::deposits_requested, Counter::deposits_requested_amount, p.amount}
                           : Noted{Counter::withdrawals_requested, Counter::withdrawals_requested_amount, p.amount});
    else if (to == PaymentStatus::completed)
      noted_.push_back(deposit
                           ? Noted{Counter::deposits_completed, Counter::deposits_completed_amount, p.amount}
                           : Noted{Counter::withdrawals_completed, Counter::withdrawals_completed_amount, p.amount});
    else if (to == PaymentStatus::failed || to == PaymentStatus::reversed || to == PaymentStatus::rejected)
      noted_.push_back(deposit ? Noted{Counter::deposits_failed, Counter::deposits_failed_amount, p.amount}
                               : Noted{Counter::withdrawals_failed, Counter::withdrawals_failed_amount, p.amount});
  }
  void restart() { noted_.clear(); }  // at the top of a transaction's body: a retried attempt starts over
  void committed() const {
    for (const auto& n : noted_) {
      metrics::add(n.count);
      metrics::add(n.amount, n.kobo);
    }
  }

 private:
  struct Noted {
    metrics::Counter count;
    metrics::Counter amount;
    std::int64_t kobo;
  };
  std::vector<Noted> noted_;
};

// The one way a payment changes state: the table's move for `event` from the locked payment's status, its
// ledger posting and the conditional status update, all in the caller's transaction. False, with nothing
// changed, when the table has no such move (a repeated, late or out-of-order event).
Awaitable<bool> apply(Tx& tx, Payment& p, PaymentEvent event, const std::optional<std::string>& message,
                      Counted& counted) {
  const auto* move = domain::transitions_of(p.kind).find(p.status, event);
  if (!move) co_return false;
  // (Awaited into a variable, never inside a condition whose branch throws: GCC 12 miscompiles that, SIGILL.)
  bool posted = true;
  if (move->posting) posted = co_await LedgerRepository::post(tx, store::payment_transfer(*move->posting, p));
  if (!posted)
    throw store::QueryError("payment " + p.id + ": its " + std::string(domain::to_string(*move->posting)) +
                            " was posted already, yet its status allows it");
  co_await PaymentRepository::move(tx, p.id, p.status, move->to, message);
  counted.note(p, move->to, false);
  p.status = move->to;
  co_return true;
}

// A payment's creation, the table's move from nothing: the row and its posting. False when a payment with
// this id exists already (a retried request): nothing changed.
Awaitable<bool> create(Tx& tx, Payment& p, PaymentEvent event, Counted& counted) {
  const auto* move = domain::transitions_of(p.kind).find(std::nullopt, event);
  if (!move) throw std::logic_error("no creating move for this payment event");
  p.status = move->to;
  if (!co_await PaymentRepository::insert(tx, p)) co_return false;
  if (move->posting) co_await LedgerRepository::post(tx, store::payment_transfer(*move->posting, p));
  counted.note(p, move->to, true);
  co_return true;
}

}  // namespace

Awaitable<PaymentService::DepositStarted> PaymentService::start_deposit(const std::string& user_id, std::int64_t amount,
                                                                        const std::string& key) {
  check_range(amount, limits_.min_deposit, limits_.max_amount);
  const auto user = co_await users_.find_by_id(user_id);
  if (!user) throw Error(ErrorKind::unauthenticated, "invalid_token", "The account no longer exists");
  Payment p;
  p.id = derived_id("dep", user_id, key);
  p.user_id = user_id;
  p.kind = PaymentKind::deposit;
  p.reference = reference_for(p.id);
  p.amount = amount;
  p.created_at = p.updated_at = store::now_micros();
  // A retry finds the deposit its first attempt made: the same checkout page if Paystack gave one, else a
  // new attempt at it (after Paystack certainly failed, the deposit moves from failed back to pending).
  Counted counted;
  p = co_await transaction(db_, [&](Tx& tx) -> Awaitable<Payment> {
    counted.restart();
    auto found = co_await PaymentRepository::lock(tx, p.id);
    if (!found) {
      // A new deposit: the player's standing and deposit limits first (a retry of one made is never refused).
      co_await limits::check_deposit(tx, user_id, amount);
      const bool created = co_await create(tx, p, PaymentEvent::requested, counted);
      if (created) co_return p;
      found = co_await PaymentRepository::lock(tx, p.id);
    }
    if (!found || found->amount != amount) throw key_reused();
    if (found->status == PaymentStatus::failed)
      co_await apply(tx, *found, PaymentEvent::checkout_retried, std::nullopt, counted);
    co_return *found;
  });
  counted.committed();
  if (p.status == PaymentStatus::completed)
    throw Error(ErrorKind::conflict, "invalid_state", "This deposit is completed already");
  if (p.checkout_url) co_return DepositStarted{p, *p.checkout_url};

  std::string url;
  std::optional<ProviderError> failed;
  try {
    url = co_await paystack_.initialize(user->email, amount, p.reference);
  } catch (const ProviderError& e) {
    failed = e;
  }
  if (failed) {
    // Paystack certainly has no checkout for it: the deposit fails (a retry may try again). If Paystack may
    // have one, the deposit stays pending: its charge can only come with our reference.
    if (!failed->maybe_sent()) {
      Counted failing;
      co_await transaction(db_, [&](Tx& tx) -> Awaitable<void> {
        failing.restart();
        if (auto locked = co_await PaymentRepository::lock(tx, p.id))
          co_await apply(tx, *locked, PaymentEvent::checkout_failed, std::string(failed->what()), failing);
      });
      failing.committed();
    }
    throw provider_error(*failed);
  }
  co_await transaction(db_,
                       [&](Tx& tx) -> Awaitable<void> { co_await PaymentRepository::set_checkout_url(tx, p.id, url); });
  p.checkout_url = url;
  co_return DepositStarted{p, url};
}

Awaitable<Payment> PaymentService::request_withdrawal(const std::string& user_id, WithdrawalRequest r,
                                                      const std::string& key) {
  check_range(r.amount, limits_.min_withdrawal, limits_.max_amount);
  if (limits_.require_verified_phone) {
    const auto user = co_await users_.find_by_id(user_id);
    if (!user || !user->phone_verified_at)
      throw Error(ErrorKind::forbidden, "phone_not_verified", "Verify your phone number before withdrawing");
  }
  // A retry of a withdrawal made already is answered with it, even if its payout account was removed since.
  const auto id = derived_id("wd", user_id, key);
  if (auto made = co_await payments_.find(id)) {
    if (made->amount != r.amount || made->payout_account_id != r.payout_account_id) throw key_reused();
    co_return std::move(*made);
  }
  const auto account = co_await payout_accounts_.find(user_id, r.payout_account_id);
  if (!account || account->deleted_at)
    throw Error(ErrorKind::not_found, "payout_account_not_found", "No payout account with this id")
        .detail("payout_account_id", "not one of your saved payout accounts");
  if (!account->name_matches && limits_.refuse_name_mismatch)
    throw Error(ErrorKind::invalid, "payout_name_mismatch",
                "This payout account is not in your name; withdrawals go only to accounts in your own name");
  Payment p;
  p.id = id;
  p.user_id = user_id;
  p.kind = PaymentKind::withdrawal;
  p.reference = reference_for(p.id);
  p.amount = r.amount;
  p.bank_code = account->bank_code;
  p.account_number = account->account_number;
  p.account_name = account->account_name;
  p.payout_account_id = account->id;
  p.created_at = p.updated_at = store::now_micros();
  bool created = false;
  Counted counted;
  try {
    p = co_await transaction(db_, [&](Tx& tx) -> Awaitable<Payment> {
      counted.restart();
      // Locks the user's withdrawals first, so two requests at once cannot both pass the daily limit or a
      // KYC cap: the day's withdrawals are counted under that lock, in the transaction that adds this one.
      const auto previous = co_await PaymentRepository::withdrawals_since(tx, user_id, p.created_at - kDayMicros);
      if (auto found = co_await PaymentRepository::lock(tx, p.id)) {
        // A retry after a crash or a lost answer: the withdrawal exists; report where it stands.
        if (found->amount != r.amount || found->payout_account_id != p.payout_account_id) throw key_reused();
        co_return *found;
      }
      if (previous.requested >= limits_.max_withdrawals_per_day)
        throw Error(
            ErrorKind::invalid, "withdrawal_limit_reached",
            "At most " + std::to_string(limits_.max_withdrawals_per_day) + " withdrawals may be requested in 24 hours");
      const auto user = co_await store::UserRepository::find_by_id(tx, user_id);
      if (!user) throw Error(ErrorKind::unauthenticated, "invalid_token", "The account no longer exists");
      const auto& caps = domain::caps_for(store::kyc_tier(*user), limits_.kyc_caps);
      // A payout account in someone else's name is named first: it is what the reviewer must look at.
      auto review = domain::withdrawal_review_reason(
          r.amount, domain::WithdrawalsToday{previous.paying_amount, previous.paying_out}, caps,
          limits_.review_threshold);
      if (!account->name_matches) review = domain::ReviewReason::name_mismatch;
      p.review_reason.reset();
      if (review) p.review_reason = std::string(domain::to_string(*review));
      created = co_await create(tx, p, review ? PaymentEvent::requested_for_review : PaymentEvent::requested, counted);
      co_return p;
    });
  } catch (const store::InsufficientFunds&) {
    throw Error(ErrorKind::invalid, "insufficient_funds", "The wallet balance is too low for this withdrawal");
  }
  counted.committed();
  if (!created || p.status != PaymentStatus::pending) {
    if (created)
      log::info("withdrawal awaiting review")
          .str("payment_id", p.id)
          .num("amount", p.amount)
          .str("review_reason", p.review_reason.value_or(""));
    co_return p;
  }
  co_return co_await send_transfer(std::move(p));
}

Awaitable<Payment> PaymentService::send_transfer(Payment p) {
  std::optional<ProviderError> failed;
  std::string recipient;
  try {
    auto code = co_await recipient_for(p);
    recipient = std::move(code);
    co_await paystack_.transfer(p.amount, recipient, p.reference, "Bet2wealth withdrawal");
  } catch (const ProviderError& e) {
    failed = e;
  }
  // Its webhook may have moved the withdrawal already (Paystack answers /transfer after sending it): only
  // facts are recorded here, and a status only through a move from the status found under the lock.
  const bool refused = failed && !failed->maybe_sent();
  if (!recipient.empty() || refused) {
    Counted counted;
    co_await transaction(db_, [&](Tx& tx) -> Awaitable<void> {
      counted.restart();
      if (!recipient.empty()) co_await PaymentRepository::set_recipient(tx, p.id, recipient);
      if (refused)
        if (auto locked = co_await PaymentRepository::lock(tx, p.id))
          co_await apply(tx, *locked, PaymentEvent::transfer_refused, std::string(failed->what()), counted);
    });
    counted.committed();
  }
  if (refused) throw provider_error(*failed);  // the money is back in the wallet
  if (failed) {
    // Paystack may have it: the transfer webhook decides. The money stays held meanwhile.
    log::error("withdrawal outcome unknown: waiting for Paystack's webhook")
        .str("payment_id", p.id)
        .str("error", failed->what());
  }
  auto now = co_await payments_.find(p.id);
  co_return now ? *now : p;
}

Awaitable<std::string> PaymentService::recipient_for(Payment p) {
  std::optional<store::PayoutAccount> account;
  if (p.payout_account_id) {
    // A removed account too: a withdrawal made before its removal still pays to it.
    auto found = co_await payout_accounts_.find(p.user_id, *p.payout_account_id);
    account = std::move(found);
  }
  if (account && account->recipient_code) co_return *account->recipient_code;
  auto code = co_await paystack_.create_recipient(p.account_name.value_or("Bet2wealth customer"),
                                                  p.account_number.value_or(""), p.bank_code.value_or(""));
  // Two first withdrawals at once may both create one (Paystack keeps one recipient per account anyway): the
  // first recorded stays and the other is used for its own transfer only.
  if (account) co_await payout_accounts_.set_recipient(account->id, code);
  co_return code;
}

Awaitable<Payment> PaymentService::withdrawal_of(std::string user_id, std::string id) {
  auto p = co_await payments_.find(id);
  if (!p || p->kind != PaymentKind::withdrawal || p->user_id != user_id)
    throw Error::not_found("No withdrawal with this id");
  co_return std::move(*p);
}

Awaitable<std::vector<Payment>> PaymentService::withdrawals(
    std::optional<PaymentStatus> status, int limit, std::optional<std::pair<std::int64_t, std::string>> before) {
  co_return co_await payments_.list(PaymentKind::withdrawal, status, limit, std::move(before));
}

Awaitable<Payment> PaymentService::approve_withdrawal(std::string id, domain::Actor actor) {
  Counted counted;
  auto p = co_await transaction(db_, [&](Tx& tx) -> Awaitable<std::optional<Payment>> {
    counted.restart();
    auto found = co_await PaymentRepository::lock(tx, id);
    if (!found || found->kind != PaymentKind::withdrawal) co_return std::nullopt;
    const auto before = found->status;
    const bool moved = co_await apply(tx, *found, PaymentEvent::approved, std::nullopt, counted);
    if (!moved) throw invalid_state(*found, "awaiting review");
    co_await store::AuditRepository::append(tx, withdrawal_decided(actor, "withdrawal.approve", *found, before));
    co_return found;
  });
  counted.committed();
  if (!p) throw Error::not_found("No withdrawal with this id");
  co_return co_await send_transfer(std::move(*p));
}

Awaitable<Payment> PaymentService::reject_withdrawal(std::string id, domain::Actor actor) {
  Counted counted;
  auto p = co_await transaction(db_, [&](Tx& tx) -> Awaitable<std::optional<Payment>> {
    counted.restart();
    auto found = co_await PaymentRepository::lock(tx, id);
    if (!found || found->kind != PaymentKind::withdrawal) co_return std::nullopt;
    const auto before = found->status;
    const bool moved =
        co_await apply(tx, *found, PaymentEvent::rejected, std::string("rejected by an administrator"), counted);
    if (!moved) throw invalid_state(*found, "awaiting review");
    co_await store::AuditRepository::append(tx, withdrawal_decided(actor, "withdrawal.reject", *found, before));
    co_return found;
  });
  counted.committed();
  if (!p) throw Error::not_found("No withdrawal with this id");
  log::info("withdrawal rejected").str("payment_id", p->id).num("amount", p->amount);
  co_return *(co_await payments_.find(id));
}

Awaitable<void> PaymentService::handle_webhook(std::string_view raw_body, std::string_view signature_hex) {
  if (!paystack_.signature_valid(raw_body, signature_hex)) {
    metrics::add(metrics::Counter::webhooks_bad_signature);
    throw Error(ErrorKind::unauthenticated, "invalid_signature", "The webhook signature is missing or wrong");
  }
  co_await handle_event(raw_body);
}

Awaitable<void> PaymentService::handle_event(std::string_view raw_body) {
  std::variant<PaymentNotice, IdentityNotice, IgnoredNotice> parsed;
  try {
    parsed = parse_webhook(raw_body);
  } catch (const std::invalid_argument&) {
    throw Error::malformed("invalid_json", "The webhook body is not a JSON object");
  }
  if (const auto* ignored = std::get_if<IgnoredNotice>(&parsed)) {
    log::info("webhook ignored").str("event", ignored->name).str("why", ignored->why);
    metrics::add(metrics::Counter::webhooks_accepted);
    co_return;
  }
  if (auto* identity = std::get_if<IdentityNotice>(&parsed)) {
    IdentityNotice notice = std::move(*identity);
    co_await identity_.apply_outcome(std::move(notice));
    metrics::add(metrics::Counter::webhooks_accepted);
    co_return;
  }
  auto notice = std::get<PaymentNotice>(parsed);
  const auto outcome = co_await apply_notice(std::move(notice));
  // Counted once the notice's transaction committed: a re-delivery finds its payment moved already.
  metrics::add(outcome == NoticeOutcome::no_move ? metrics::Counter::webhooks_duplicate
                                                 : metrics::Counter::webhooks_accepted);
}

Awaitable<PaymentService::NoticeOutcome> PaymentService::apply_notice(PaymentNotice n) {
  Counted counted;
  const auto outcome = co_await transaction(db_, [&](Tx& tx) -> Awaitable<NoticeOutcome> {
    counted.restart();
    auto p = co_await PaymentRepository::lock_by_reference(tx, n.reference);
    if (!p || p->kind != n.kind) {
      log::warn("webhook for an unknown reference: acknowledged").str("event", n.name).str("reference", n.reference);
      co_return NoticeOutcome::unknown_reference;
    }
    if (n.amount != p->amount || n.currency != p->currency) {
      log::error("webhook amount or currency differs from the payment's: not applied, needs reconciliation")
          .str("event", n.name)
          .str("payment_id", p->id)
          .num("expected_amount", p->amount)
          .num("notified_amount", n.amount.value_or(-1))
          .str("currency", n.currency);
      co_return NoticeOutcome::mismatch;
    }
    const auto from = p->status;
    std::optional<std::string> message;
    if (n.event == PaymentEvent::expired)
      message = "expired: no successful payment known after PAYMENT_EXPIRE_AFTER";
    else if (n.kind == PaymentKind::withdrawal || n.event == PaymentEvent::charge_failed)
      message = "Paystack: " + n.name;
    const bool moved = co_await apply(tx, *p, n.event, message, counted);
    if (!moved) {
      log::info("webhook finds no move: already applied or out of order")
          .str("event", n.name)
          .str("payment_id", p->id)
          .str("status", domain::to_string(from));
      co_return NoticeOutcome::no_move;
    }
    log::info("payment moved")
        .str("event", n.name)
        .str("payment_id", p->id)
        .str("from", domain::to_string(from))
        .str("to", domain::to_string(p->status))
        .num("amount", p->amount);
    co_return NoticeOutcome::moved;
  });
  counted.committed();
  if (outcome == NoticeOutcome::mismatch) metrics::add(metrics::Counter::reconciliation_mismatches);
  co_return outcome;
}

}  // namespace b2w::payments
