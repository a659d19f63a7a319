#include "payments/payout_accounts.hpp"

#include "domain/error.hpp"
#include "domain/kyc.hpp"
#include "domain/name_match.hpp"
#include "observability/log.hpp"
#include "util/ids.hpp"

namespace b2w::payments {

using domain::Error;
using domain::ErrorKind;
using store::PayoutAccount;
using store::PayoutAccountRepository;
using store::Tx;

namespace {

const PayoutAccount* same_account(const std::vector<PayoutAccount>& live, const std::string& bank_code,
                                  const std::string& account_number) {
  for (const auto& a : live)
    if (a.bank_code == bank_code && a.account_number == account_number) return &a;
  return nullptr;
}

Error limit_reached(int max) {
  return Error(ErrorKind::invalid, "payout_account_limit_reached",
               "At most " + std::to_string(max) + " payout accounts may be saved; remove one first");
}

}  // namespace

Awaitable<PayoutAccounts::Saved> PayoutAccounts::save(std::string user_id, std::string bank_code,
                                                      std::string account_number) {
  // Saving an account the player has already asks Paystack nothing (an idempotent retry).
  const auto live = co_await accounts_.live(user_id);
  if (const auto* found = same_account(live, bank_code, account_number)) co_return Saved{*found, false};
  if (static_cast<int>(live.size()) >= options_.max_per_player) throw limit_reached(options_.max_per_player);
  const auto user = co_await users_.find_by_id(user_id);
  if (!user) throw Error(ErrorKind::unauthenticated, "invalid_token", "The account no longer exists");

  std::optional<ResolvedAccount> resolved;
  std::optional<std::string> failed;
  try {
    auto answer = co_await paystack_.resolve_account(account_number, bank_code);
    resolved = std::move(answer);
  } catch (const ProviderError& e) {
    failed = e.what();
  }
  if (failed) {
    log::error("payout account not resolved: Paystack failed").str("user_id", user_id).str("error", *failed);
    throw Error(ErrorKind::unavailable, "account_resolution_unavailable",
                "The bank account cannot be checked now; nothing was saved, try again shortly");
  }
  if (!resolved)
    throw Error(ErrorKind::invalid, "account_not_resolved",
                "The bank knows no account with this number; check the bank and the account number")
        .detail("account_number", "no such account at this bank");

  PayoutAccount account;
  account.id = new_id("pa");
  account.user_id = user_id;
  account.bank_code = bank_code;
  account.bank_name = banks_.name_of(bank_code);
  account.account_number = account_number;
  account.account_name = resolved->account_name;
  account.name_matches = domain::names_match(user->full_name.value_or(""), resolved->account_name);
  account.created_at = store::now_micros();
  if (!account.name_matches && options_.on_name_mismatch == NameMismatchPolicy::refuse) {
    log::warn("payout account refused: name mismatch")
        .str("user_id", user_id)
        .str("account_last4", domain::last_four(account_number));
    throw Error(ErrorKind::invalid, "payout_name_mismatch",
                "The bank account is not in your name; withdrawals go only to accounts in your own name");
  }

  auto saved = co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<Saved> {
    // Under the player's lock: another request of theirs may have saved it, or filled the last place, meanwhile.
    const auto locked = co_await PayoutAccountRepository::lock_live(tx, user_id);
    if (const auto* found = same_account(locked, bank_code, account_number)) co_return Saved{*found, false};
    if (static_cast<int>(locked.size()) >= options_.max_per_player) throw limit_reached(options_.max_per_player);
    const bool inserted = co_await PayoutAccountRepository::insert(tx, account);
    if (!inserted) throw store::QueryError("payout account conflicts with a live one, yet none was found under lock");
    co_return Saved{account, true};
  });
  if (saved.created)
    log::info("payout account saved")
        .str("user_id", user_id)
        .str("payout_account_id", saved.account.id)
        .str("account_last4", domain::last_four(account_number))
        .str("name_matches", saved.account.name_matches ? "true" : "false");
  co_return saved;
}

Awaitable<std::vector<PayoutAccount>> PayoutAccounts::list(std::string user_id) {
  co_return co_await accounts_.live(std::move(user_id));
}

Awaitable<void> PayoutAccounts::remove(std::string user_id, std::string id) {
  const bool removed = co_await accounts_.remove(user_id, id);
  if (!removed) throw Error::not_found("No payout account with this id");
  log::info("payout account removed").str("user_id", user_id).str("payout_account_id", id);
}

}  // namespace b2w::payments
