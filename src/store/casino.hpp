#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/casino_states.hpp"
#include "domain/money.hpp"
#include "store/db/database.hpp"
#include "store/ledger.hpp"

namespace b2w::store {

// One debit or credit an aggregator sent, by its id (migration 009).
struct CasinoTransaction {
  std::string aggregator;
  std::string tid;
  std::string user_id;
  domain::CasinoTxKind kind = domain::CasinoTxKind::debit;
  std::string subtype;
  domain::Kobo amount = 0;
  std::string currency;
  std::string round_id;
  std::string action_id;
  std::string game;
  std::string rollback_of;  // empty unless this request reverses the transaction it names
  domain::CasinoTxStatus status = domain::CasinoTxStatus::noted;
  std::int64_t created_at = 0;
};

// A player as the wallet sees them: whether they may stake.
struct CasinoPlayer {
  bool locked = false;
};

// A player's game round: what they staked and won in it (rolled-back transactions count for nothing).
struct CasinoRound {
  std::string aggregator;
  std::string round_id;
  std::string game;
  domain::Kobo staked = 0;
  domain::Kobo won = 0;
  std::int64_t started_at = 0;
  std::int64_t last_at = 0;
};

// Stakes and wins of one game of one aggregator over a period.
struct CasinoGameTotals {
  std::string aggregator;
  std::string game;
  std::int64_t rounds = 0;
  domain::Kobo staked = 0;
  domain::Kobo won = 0;
};

inline constexpr std::size_t kCasinoHouseShards = 32;
// "casino_house:<aggregator>:<shard>", the shard fixed by the player (migration 009).
std::string casino_house_account(std::string_view aggregator, std::string_view user_id);

// The ledger transfer of a casino posting, in one place for the wallet that posts it and `ledger verify`.
LedgerTransfer casino_transfer(domain::CasinoPosting posting, const CasinoTransaction& t);

// A call's first look, in one round trip: the transaction with its tid, if any, and the player, if any.
struct CasinoLookup {
  std::optional<CasinoTransaction> seen;
  std::optional<CasinoPlayer> player;
};

// Every statement of the casino wallet; the caller's transaction (Tx&) unless said otherwise.
class CasinoRepository {
 public:
  explicit CasinoRepository(Database& db) : db_(db) {}

  static Awaitable<CasinoLookup> lookup(Tx& tx, const std::string& aggregator, const std::string& tid,
                                        const std::string& user_id);
  // The transaction `tid` of `aggregator`; FOR UPDATE when it is about to move.
  static Awaitable<std::optional<CasinoTransaction>> find(Tx& tx, const std::string& aggregator, const std::string& tid,
                                                          bool for_update);
  // Records `t` (with its status) unless its id is taken; false when it was (a repeat, maybe concurrent:
  // PostgreSQL waits for the other transaction to end, then finds its row).
  static Awaitable<bool> claim(Tx& tx, const CasinoTransaction& t);
  // claim() for the usual case, where lookup() found no such tid a moment ago: sent with the next statement,
  // no round trip of its own. If a concurrent repeat took the tid meanwhile, the transaction fails with
  // UnexpectedRowCount and the caller runs the call again (it is then a repeat).
  static Awaitable<void> claim_expecting_none(Tx& tx, const CasinoTransaction& t);
  // The usual new debit or credit, with no look first and in a transaction of its own: records `t` only if
  // its tid is new and its player exists and, for a stake, is not locked, and then posts `transfer` (two
  // distinct accounts); returns `report_account`'s balance after it. nullopt: the claim did not take (a
  // repeat, an unknown or locked player) and nothing happened: the caller looks first, to tell which. Throws
  // InsufficientFunds (nothing happened). PostgreSQL: one statement, one round trip (its CTEs claim, record
  // the header, update both balances in account-id order, as the ledger locks them, and write the entries;
  // the server checks the counts); SQLite: the claim, then LedgerRepository::post_reporting.
  Awaitable<std::optional<domain::Kobo>> claim_and_post(const CasinoTransaction& t, const LedgerTransfer& transfer,
                                                        const std::string& report_account);
  // status = `to` where it is `from`: exactly one row, or the transaction fails (UnexpectedRowCount).
  static Awaitable<void> move(Tx& tx, const CasinoTransaction& t, domain::CasinoTxStatus from,
                              domain::CasinoTxStatus to);
  static Awaitable<domain::Kobo> wallet_balance(Tx& tx, const std::string& user_id);
  // Outside a transaction, newest first; `before` is the cursor (last_at, "<aggregator>:<round>") of the last
  // round seen. Rounds are grouped from the player's transactions (index casino_transactions_user).
  Awaitable<std::vector<CasinoRound>> rounds(std::string user_id, int limit,
                                             std::optional<std::pair<std::int64_t, std::string>> before);
  // Every game with stakes or wins in [from, to), by aggregator and game.
  Awaitable<std::vector<CasinoGameTotals>> totals(std::int64_t from, std::int64_t to);
  // Outside a transaction: the player's wallet balance; nullopt when there is no such player.
  Awaitable<std::optional<domain::Kobo>> balance_of(std::string user_id);

 private:
  Database& db_;
};

}  // namespace b2w::store
