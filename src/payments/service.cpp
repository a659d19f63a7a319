#include "payments/service.hpp"

#include <boost/json/parse.hpp>

#include "http/api_error.hpp"
#include "observability/log.hpp"
#include "store/ledger.hpp"
#include "util/digest.hpp"

namespace b2w::payments {

using http::ApiError;
using http::Status;
using store::Awaitable;
using store::LedgerRepository;
using store::LedgerTransfer;
using store::Payment;
using store::Tx;

namespace {

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

ApiError provider_error(const ProviderError& e) {
  log::error("payment provider error").str("error", e.what());
  return ApiError(Status::bad_gateway, "payment_provider_error",
                  "The payment provider could not process the request; nothing was charged or moved");
}

}  // namespace

void PaymentService::check_amount(std::int64_t amount) const {
  if (amount <= 0 || amount > limits_.max_amount)
    throw ApiError(Status::unprocessable_entity, "invalid_amount",
                   "The amount must be a whole number of kobo from 1 to " + std::to_string(limits_.max_amount))
        .detail("amount", "must be an integer from 1 to " + std::to_string(limits_.max_amount) + " (kobo)");
}

Awaitable<PaymentService::DepositStarted> PaymentService::start_deposit(const std::string& user_id, std::int64_t amount,
                                                                        const std::string& key) {
  check_amount(amount);
  const auto user = co_await users_.find_by_id(user_id);
  if (!user) throw ApiError(Status::unauthorized, "invalid_token", "The account no longer exists");
  Payment p;
  p.id = derived_id("dep", user_id, key);
  p.user_id = user_id;
  p.kind = "deposit";
  p.reference = reference_for(p.id);
  p.amount = amount;
  p.status = "pending";
  p.created_at = p.updated_at = store::now_micros();
  co_await transaction(db_, [&](Tx& tx) -> Awaitable<void> { co_await store::PaymentRepository::insert(tx, p); });

  std::string url;
  std::optional<ProviderError> failed;
  try {
    url = co_await paystack_.initialize(user->email, amount, p.reference);
  } catch (const ProviderError& e) {
    failed = e;
  }
  if (failed) {
    // No money moved for a deposit yet: mark it failed and tell the client.
    co_await transaction(db_, [&](Tx& tx) -> Awaitable<void> {
      co_await store::PaymentRepository::update_status(tx, p.id, "failed", std::string(failed->what()));
    });
    throw provider_error(*failed);
  }
  co_return DepositStarted{p, url};
}

Awaitable<Payment> PaymentService::request_withdrawal(const std::string& user_id, WithdrawalRequest r,
                                                      const std::string& key) {
  check_amount(r.amount);
  Payment p;
  p.id = derived_id("wd", user_id, key);
  p.user_id = user_id;
  p.kind = "withdrawal";
  p.reference = reference_for(p.id);
  p.amount = r.amount;
  p.status = r.amount > limits_.review_threshold ? "awaiting_review" : "pending";
  p.bank_code = r.bank_code;
  p.account_number = r.account_number;
  p.account_name = r.account_name;
  p.created_at = p.updated_at = store::now_micros();
  bool created = false;
  try {
    created = co_await transaction(db_, [&](Tx& tx) -> Awaitable<bool> {
      if (!co_await store::PaymentRepository::insert(tx, p)) co_return false;
      co_await LedgerRepository::post(
          tx, store::move_money("withdrawal-hold:" + p.id, "withdrawal", p.reference, store::wallet_account(user_id),
                                store::pending_withdrawals_account(user_id), p.amount));
      co_return true;
    });
  } catch (const store::InsufficientFunds&) {
    throw ApiError(Status::unprocessable_entity, "insufficient_funds",
                   "The wallet balance is too low for this withdrawal");
  }
  if (!created) {
    // A retry after a crash: the withdrawal exists; report where it stands.
    auto existing = co_await payments_.find(p.id);
    co_return *existing;
  }
  if (p.status == "awaiting_review") {
    log::info("withdrawal awaiting review").str("payment_id", p.id).num("amount", p.amount);
    co_return p;
  }
  co_return co_await send_transfer(std::move(p));
}

Awaitable<Payment> PaymentService::send_transfer(Payment p) {
  std::optional<ProviderError> failed;
  std::string recipient;
  try {
    recipient = co_await paystack_.create_recipient(p.account_name.value_or("Bet2wealth customer"),
                                                    p.account_number.value_or(""), p.bank_code.value_or(""));
    co_await paystack_.transfer(p.amount, recipient, p.reference, "Bet2wealth withdrawal");
  } catch (const ProviderError& e) {
    failed = e;
  }
  if (failed && !failed->maybe_sent()) {
    // Paystack certainly did not take the transfer: the money goes back to the wallet now.
    co_await return_withdrawal(p.id, "failed", failed->what());
    throw provider_error(*failed);
  }
  if (failed) {
    // Paystack may have it: the transfer webhook decides. The money stays held meanwhile.
    log::error("withdrawal outcome unknown: waiting for Paystack's webhook")
        .str("payment_id", p.id)
        .str("error", failed->what());
  }
  if (!recipient.empty())
    co_await transaction(db_, [&](Tx& tx) -> Awaitable<void> {
      co_await store::PaymentRepository::update_status(tx, p.id, "pending", std::nullopt, recipient);
    });
  p.status = "pending";
  co_return p;
}

Awaitable<void> PaymentService::return_withdrawal(const std::string& id, const std::string& status,
                                                  const std::string& message) {
  co_await transaction(db_, [&](Tx& tx) -> Awaitable<void> {
    auto p = co_await store::PaymentRepository::lock(tx, id);
    if (!p || (p->status != "pending" && p->status != "awaiting_review")) co_return;
    co_await LedgerRepository::post(tx, store::move_money("withdrawal-return:" + p->id, "withdrawal_return",
                                                          p->reference, store::pending_withdrawals_account(p->user_id),
                                                          store::wallet_account(p->user_id), p->amount));
    co_await store::PaymentRepository::update_status(tx, p->id, status, message);
  });
}

Awaitable<Payment> PaymentService::approve_withdrawal(const std::string& id) {
  auto p = co_await transaction(db_, [&](Tx& tx) -> Awaitable<std::optional<Payment>> {
    auto found = co_await store::PaymentRepository::lock(tx, id);
    if (!found || found->kind != "withdrawal") co_return std::nullopt;
    if (found->status != "awaiting_review")
      throw ApiError(Status::conflict, "invalid_state",
                     "This withdrawal is " + found->status + ", not awaiting review");
    co_await store::PaymentRepository::update_status(tx, id, "pending", std::nullopt);
    found->status = "pending";
    co_return found;
  });
  if (!p) throw ApiError::not_found("No withdrawal with this id");
  co_return co_await send_transfer(std::move(*p));
}

Awaitable<Payment> PaymentService::reject_withdrawal(const std::string& id) {
  auto p = co_await payments_.find(id);
  if (!p || p->kind != "withdrawal") throw ApiError::not_found("No withdrawal with this id");
  if (p->status != "awaiting_review")
    throw ApiError(Status::conflict, "invalid_state", "This withdrawal is " + p->status + ", not awaiting review");
  co_await return_withdrawal(id, "rejected", "rejected by an administrator");
  co_return *(co_await payments_.find(id));
}

Awaitable<void> PaymentService::handle_event(std::string_view raw_body) {
  boost::system::error_code ec;
  auto json = boost::json::parse(raw_body, ec);
  if (ec || !json.is_object()) throw ApiError::bad_request("invalid_json", "The webhook body is not a JSON object");
  const auto& o = json.as_object();
  const auto* event = o.if_contains("event");
  const auto* data = o.if_contains("data");
  if (!event || !event->is_string() || !data || !data->is_object()) {
    log::warn("webhook without event or data: ignored");
    co_return;
  }
  const std::string name(event->as_string());
  const auto& d = data->as_object();
  const auto* ref = d.if_contains("reference");
  if (!ref || !ref->is_string()) {
    log::warn("webhook without a reference: ignored").str("event", name);
    co_return;
  }
  const std::string reference(ref->as_string());
  const auto* amount_v = d.if_contains("amount");
  const std::int64_t amount = amount_v && amount_v->is_int64() ? amount_v->as_int64() : -1;
  const auto* currency_v = d.if_contains("currency");
  const std::string currency = currency_v && currency_v->is_string() ? std::string(currency_v->as_string()) : "";

  if (name == "charge.success") {
    co_await transaction(db_, [&](Tx& tx) -> Awaitable<void> {
      auto p = co_await store::PaymentRepository::lock_by_reference(tx, reference);
      if (!p || p->kind != "deposit") {
        log::warn("charge for an unknown reference: acknowledged").str("reference", reference);
        co_return;
      }
      if (p->status == "completed") co_return;  // a repeated delivery
      if (amount != p->amount || currency != "NGN") {
        log::error("deposit amount or currency mismatch: not credited, needs reconciliation")
            .str("payment_id", p->id)
            .num("expected_amount", p->amount)
            .num("charged_amount", amount)
            .str("currency", currency);
        co_return;
      }
      co_await LedgerRepository::post(
          tx, store::move_money("deposit:" + p->id, "deposit", p->reference, store::paystack_clearing_account(p->id),
                                store::wallet_account(p->user_id), p->amount));
      co_await store::PaymentRepository::update_status(tx, p->id, "completed", std::nullopt);
      log::info("deposit credited").str("payment_id", p->id).num("amount", p->amount);
    });
  } else if (name == "transfer.success") {
    co_await transaction(db_, [&](Tx& tx) -> Awaitable<void> {
      auto p = co_await store::PaymentRepository::lock_by_reference(tx, reference);
      if (!p || p->kind != "withdrawal" || p->status != "pending") {
        log::warn("transfer.success for no pending withdrawal: acknowledged").str("reference", reference);
        co_return;
      }
      co_await LedgerRepository::post(tx, store::move_money("withdrawal-settle:" + p->id, "withdrawal", p->reference,
                                                            store::pending_withdrawals_account(p->user_id),
                                                            store::paystack_clearing_account(p->id), p->amount));
      co_await store::PaymentRepository::update_status(tx, p->id, "completed", std::nullopt);
    });
  } else if (name == "transfer.failed" || name == "transfer.reversed") {
    const std::string status = name == "transfer.failed" ? "failed" : "reversed";
    co_await transaction(db_, [&](Tx& tx) -> Awaitable<void> {
      auto p = co_await store::PaymentRepository::lock_by_reference(tx, reference);
      if (!p || p->kind != "withdrawal") {
        log::warn("transfer event for an unknown reference: acknowledged")
            .str("reference", reference)
            .str("event", name);
        co_return;
      }
      if (p->status == "pending") {
        co_await LedgerRepository::post(
            tx, store::move_money("withdrawal-return:" + p->id, "withdrawal_return", p->reference,
                                  store::pending_withdrawals_account(p->user_id), store::wallet_account(p->user_id),
                                  p->amount));
      } else if (p->status == "completed" && status == "reversed") {
        // Paid out, then reversed by the bank: the money comes back from the provider.
        co_await LedgerRepository::post(
            tx, store::move_money("withdrawal-reversal:" + p->id, "withdrawal_return", p->reference,
                                  store::paystack_clearing_account(p->id), store::wallet_account(p->user_id), p->amount));
      } else {
        co_return;
      }
      co_await store::PaymentRepository::update_status(tx, p->id, status, "Paystack: " + name);
    });
  } else {
    log::info("webhook event ignored").str("event", name);
  }
}

}  // namespace b2w::payments
