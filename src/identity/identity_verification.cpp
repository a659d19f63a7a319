#include "identity/identity_verification.hpp"

#include "domain/error.hpp"
#include "observability/log.hpp"
#include "util/ids.hpp"

namespace b2w::identity {

using domain::Error;
using domain::ErrorKind;
using domain::IdentityCheckEvent;
using domain::IdentityCheckStatus;
using store::Awaitable;
using store::IdentityCheck;
using store::IdentityCheckRepository;
using store::Tx;

namespace {

Error already_verified() {
  return Error(ErrorKind::conflict, "identity_verified", "Your identity is verified already");
}

Error check_pending() {
  return Error(ErrorKind::conflict, "identity_check_pending",
               "Your identity is being checked; you may try again only if this check fails");
}

}  // namespace

Awaitable<IdentityCheck> IdentityVerification::submit(std::string user_id, domain::IdentityDetails details) {
  const auto problems = domain::identity_details_problems(details);
  if (!problems.empty()) {
    auto error = Error::validation("The identity details are not valid");
    for (const auto& [field, problem] : problems) error.detail(field, problem);
    throw error;
  }
  const auto user = co_await users_.find_by_id(user_id);
  if (!user) throw Error(ErrorKind::unauthenticated, "invalid_token", "The account no longer exists");
  if (user->identity_verified_at) throw already_verified();
  const auto known_code = co_await checks_.known_customer_code(user_id);

  IdentityCheck check;
  check.id = new_id("idc");
  check.user_id = user_id;
  check.customer_code = known_code;
  check.bvn_last4 = domain::last_four(details.bvn);
  check.bank_code = details.bank_code;
  check.created_at = check.updated_at = store::now_micros();
  co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<void> {
    const auto latest = co_await IdentityCheckRepository::lock_latest(tx, user_id);
    if (latest && latest->status == IdentityCheckStatus::verified) throw already_verified();
    if (latest && latest->status == IdentityCheckStatus::pending) throw check_pending();
    const bool inserted = co_await IdentityCheckRepository::insert(tx, check);
    if (!inserted) throw check_pending();  // another request of the player's got there first
  });

  // The customer code is recorded before Paystack is asked to validate, so that however soon its webhook
  // arrives, it finds this check.
  std::optional<payments::ProviderError> failed;
  std::string code = known_code.value_or("");
  if (code.empty()) {
    try {
      code = co_await paystack_.customer_code(user->email, details.first_name, details.last_name);
    } catch (const payments::ProviderError& e) {
      failed = e;
    }
    if (!failed)
      co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<void> {
        co_await IdentityCheckRepository::set_customer_code(tx, check.id, code);
      });
  }
  if (!failed) {
    payments::PaystackClient::Identification identification{details.bvn, details.bank_code, details.account_number,
                                                            details.first_name, details.last_name};
    try {
      co_await paystack_.validate_customer(code, std::move(identification));
    } catch (const payments::ProviderError& e) {
      failed = e;
    }
  }
  if (failed) {
    log::error("identity check: Paystack refused or did not answer")
        .str("user_id", user_id)
        .str("check_id", check.id)
        .str("error", failed->what());
    std::string why = "The identity provider could not take the request";
    co_await mark_failed(check.id, user_id, std::move(why));
    throw Error(ErrorKind::upstream_failed, "identity_provider_error",
                "The identity provider could not process the request; try again later");
  }
  check.customer_code = code;
  log::info("identity check submitted")
      .str("user_id", user_id)
      .str("check_id", check.id)
      .str("customer_code", code)
      .str("bvn_last4", check.bvn_last4);
  co_return check;
}

Awaitable<void> IdentityVerification::mark_failed(std::string check_id, std::string user_id, std::string reason) {
  co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<void> {
    const auto latest = co_await IdentityCheckRepository::lock_latest(tx, user_id);
    if (!latest || latest->id != check_id) co_return;
    const auto* move = domain::identity_check_transitions().find(latest->status, IdentityCheckEvent::failed);
    std::optional<std::string> why = reason;
    if (move) co_await IdentityCheckRepository::move(tx, check_id, latest->status, move->to, why);
  });
}

Awaitable<std::optional<IdentityCheck>> IdentityVerification::latest(std::string user_id) {
  auto found = co_await checks_.latest(std::move(user_id));
  co_return found;
}

Awaitable<void> IdentityVerification::apply_outcome(payments::IdentityNotice n) {
  co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<void> {
    const auto check = co_await IdentityCheckRepository::lock_latest_by_customer(tx, n.customer_code);
    if (!check) {
      log::warn("identity webhook for an unknown customer: acknowledged")
          .str("event", n.name)
          .str("customer_code", n.customer_code);
      co_return;
    }
    const auto event = n.verified ? IdentityCheckEvent::succeeded : IdentityCheckEvent::failed;
    const auto* move = domain::identity_check_transitions().find(check->status, event);
    if (!move) {
      log::info("identity webhook finds no move: already applied or out of order")
          .str("event", n.name)
          .str("check_id", check->id)
          .str("status", domain::to_string(check->status));
      co_return;
    }
    std::optional<std::string> reason;
    if (!n.verified) reason = n.reason.empty() ? std::string("Paystack could not validate the details") : n.reason;
    co_await IdentityCheckRepository::move(tx, check->id, check->status, move->to, reason);
    if (move->to == IdentityCheckStatus::verified)
      co_await store::UserRepository::mark_identity_verified(tx, check->user_id);
    log::info("identity check moved")
        .str("event", n.name)
        .str("check_id", check->id)
        .str("user_id", check->user_id)
        .str("from", domain::to_string(check->status))
        .str("to", domain::to_string(move->to));
  });
}

}  // namespace b2w::identity
