#pragma once
#include <string>
#include <vector>

#include "payments/bank_directory.hpp"
#include "payments/paystack.hpp"
#include "store/db/database.hpp"
#include "store/payout_accounts.hpp"
#include "store/users.hpp"

namespace b2w::payments {

// What happens when a payout account's resolved name is not the player's (PAYOUT_NAME_MISMATCH).
enum class NameMismatchPolicy {
  review,  // the account is saved (name_matches false); each withdrawal to it waits for an administrator
  refuse,  // the account is not saved (422 payout_name_mismatch); nor is a withdrawal to one saved before
};

struct PayoutAccountOptions {
  int max_per_player = 5;  // live accounts (PAYOUT_ACCOUNTS_MAX)
  NameMismatchPolicy on_name_mismatch = NameMismatchPolicy::review;
};

// The bank accounts players save for withdrawals: each resolved with Paystack's /bank/resolve before it is
// stored, with the holder's name as the bank gave it and whether that is the player's name
// (domain::names_match against users.full_name, the name the player registered with). Throws domain::Error.
class PayoutAccounts {
 public:
  PayoutAccounts(store::Database& db, store::PayoutAccountRepository& accounts, store::UserRepository& users,
                 PaystackClient& paystack, BankDirectory& banks, PayoutAccountOptions options)
      : db_(db), accounts_(accounts), users_(users), paystack_(paystack), banks_(banks), options_(options) {}

  struct Saved {
    store::PayoutAccount account;
    bool created = false;  // false: the player had it already (nothing was asked of Paystack)
  };
  // `bank_code` and `account_number` are digits already (the API checks them). 422 payout_account_limit_reached,
  // 422 account_not_resolved (the bank knows no such account), 422 payout_name_mismatch (refuse policy), 503
  // account_resolution_unavailable (Paystack down: nothing stored).
  Awaitable<Saved> save(std::string user_id, std::string bank_code, std::string account_number);
  // The player's live accounts, oldest first.
  Awaitable<std::vector<store::PayoutAccount>> list(std::string user_id);
  // Removes one of the player's (404 not_found otherwise). Withdrawals already made to it go on paying to it.
  Awaitable<void> remove(std::string user_id, std::string id);
  // GET /wallet/banks.
  Awaitable<BankList> banks() { return banks_.banks(); }

 private:
  store::Database& db_;
  store::PayoutAccountRepository& accounts_;
  store::UserRepository& users_;
  PaystackClient& paystack_;
  BankDirectory& banks_;
  PayoutAccountOptions options_;
};

}  // namespace b2w::payments
