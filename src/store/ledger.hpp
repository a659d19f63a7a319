#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "domain/money.hpp"
#include "store/db/database.hpp"
#include "store/db/read_batch.hpp"
#include "store/wallet_usage.hpp"

namespace b2w::store {

// A movement of money: two or more postings that sum to zero. Its id is its
// idempotency key: posting an id that is already recorded changes nothing.
struct LedgerTransfer {
  std::string id;
  std::string kind;       // deposit, withdrawal, withdrawal_reversal, bet_stake, bet_payout, bet_refund, ...
  std::string reference;  // the provider's or the bet's reference
  std::vector<domain::Posting> postings;
  // The hold this transfer releases (a withdrawal's id): unique in the database, so a hold is released
  // once, by a return or a settlement, never both. Empty for transfers that release nothing.
  std::string closes = {};
};

// A two-posting transfer of `amount` from one account to another. (A plain function: GCC 12
// miscompiles nested braced initializers written inside coroutines.)
LedgerTransfer move_money(std::string id, std::string kind, std::string reference, std::string from, std::string to,
                          domain::Kobo amount);

class InsufficientFunds : public std::runtime_error {
 public:
  explicit InsufficientFunds(std::string account)
      : std::runtime_error("insufficient funds in " + account), account_(std::move(account)) {}
  const std::string& account() const { return account_; }

 private:
  std::string account_;
};

struct WalletBalances {
  domain::Kobo balance = 0;
  domain::Kobo pending_withdrawals = 0;
  domain::Kobo in_play = 0;
};

struct LedgerLine {
  std::string transaction_id;
  std::string kind;
  domain::Kobo amount;
  domain::Kobo balance_after;
  std::string reference;
  std::int64_t created_at;
};

// The ledger's accounts of one user.
std::string wallet_account(const std::string& user_id);
std::string pending_withdrawals_account(const std::string& user_id);
std::string bets_in_play_account(const std::string& user_id);
inline constexpr const char* kHouseAccount = "house";
inline constexpr const char* kPaystackClearingAccount = "provider_clearing:paystack";  // shard 0
// Paystack's clearing account is kept in shards (migration 006) so that concurrent payments do not all
// queue for one row lock: the shard a payment posts to, fixed by its id. Its balance is the shards' sum.
inline constexpr std::size_t kPaystackClearingShards = 32;
std::string paystack_clearing_account(std::string_view payment_id);

// What a posting read before it writes: the transfers it newly recorded and the accounts it locked.
struct PostLocks {
  std::int64_t now = 0;
  std::set<std::string> fresh;                  // ids of the transfers recorded now (not before)
  std::map<std::string, domain::Kobo> balance;  // of each locked account, before the transfers
  std::set<std::string> may_go_negative;
  std::map<std::string, HourTally> tallies;  // of the wallets
};

class LedgerRepository {
 public:
  explicit LedgerRepository(Database& db) : db_(db) {}

  // Inside the caller's transaction. Locks the accounts in id order (no deadlocks),
  // applies the postings, writes the entries; throws InsufficientFunds when an account
  // that may not go negative would. Returns false when the id was already recorded.
  static Awaitable<bool> post(Tx& tx, const LedgerTransfer& transfer);
  // post() that also tells the balance of `account` (one of the transfer's) after it, from the row it
  // locked: no round trip of its own. A transfer recorded already leaves the balance as it is.
  static Awaitable<domain::Kobo> post_reporting(Tx& tx, const LedgerTransfer& transfer, std::string account);
  // post() for many transfers (settlement batches): a handful of statements in all, not a few per
  // transfer. Returns how many were newly recorded. The accounts of every transfer given are locked,
  // also of those recorded already: callers skip what they know is done (a payment's status, a bet
  // no longer open), so only a retry pays for locks it did not need.
  static Awaitable<std::size_t> post_many(Tx& tx, const std::vector<LedgerTransfer>& transfers,
                                          std::map<std::string, domain::Kobo>* balances_after = nullptr);
  // post_many in two halves, so that its reads travel in one round trip with the caller's other reads:
  // lock_for_post records the headers and locks the accounts; post_locked (after the batch ran) checks the
  // balances and writes. The same transfers in both calls.
  static ReadBatch::Later<PostLocks> lock_for_post(ReadBatch& reads, const std::vector<LedgerTransfer>& transfers);
  static Awaitable<std::size_t> post_locked(Tx& tx, const std::vector<LedgerTransfer>& transfers,
                                            const PostLocks& locks,
                                            std::map<std::string, domain::Kobo>* balances_after = nullptr);
  // A new user's wallet, pending-withdrawals and bets-in-play accounts (the system accounts come with migration 002).
  static Awaitable<void> open_user_accounts(Tx& tx, const std::string& user_id);

  Awaitable<WalletBalances> balances(std::string user_id);
  // Newest first; `before` is the cursor (created_at, transaction_id) of the last line seen.
  Awaitable<std::vector<LedgerLine>> history(std::string account_id, int limit,
                                             std::optional<std::pair<std::int64_t, std::string>> before);

  // The entries of `account_id` since `since` (epoch micros), summed per transaction kind.
  Awaitable<std::vector<std::pair<std::string, domain::Kobo>>> sums_by_kind(std::string account_id, std::int64_t since);

  // Recomputes every balance from the entries and checks every invariant, then checks each payment's and
  // each bet's status against the postings made for it (store/ledger_verify.cpp); each problem is one line.
  Awaitable<std::vector<std::string>> verify();

 private:
  Database& db_;
};

}  // namespace b2w::store
