#include "store/casino.hpp"

#include "store/wallet_usage.hpp"

namespace b2w::store {
namespace {

constexpr const char* kColumns =
    "aggregator, tid, user_id, kind, subtype, amount, currency, round_id, action_id, game, rollback_of, status, "
    "created_at";

CasinoTransaction from_row(const Row& r) {
  CasinoTransaction t;
  t.aggregator = r.str(0);
  t.tid = r.str(1);
  t.user_id = r.str(2);
  const auto kind = domain::parse_casino_tx_kind(r.str(3));
  const auto status = domain::parse_casino_tx_status(r.str(11));
  if (!kind || !status) throw QueryError("casino transaction " + t.tid + " has an unknown kind or status");
  t.kind = *kind;
  t.subtype = r.str(4);
  t.amount = r.i64(5);
  t.currency = r.str(6);
  t.round_id = r.str(7);
  t.action_id = r.str(8);
  t.game = r.str(9);
  t.rollback_of = r.str(10);
  t.status = *status;
  t.created_at = r.i64(12);
  return t;
}

}  // namespace

std::string casino_house_account(std::string_view aggregator, std::string_view user_id) {
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a, folded: as paystack_clearing_account
  for (const unsigned char c : user_id) hash = (hash ^ c) * 1099511628211ULL;
  hash ^= hash >> 32;
  return "casino_house:" + std::string(aggregator) + ":" + std::to_string(hash % kCasinoHouseShards);
}

LedgerTransfer casino_transfer(domain::CasinoPosting posting, const CasinoTransaction& t) {
  using P = domain::CasinoPosting;
  const std::string wallet = wallet_account(t.user_id);
  const std::string house = casino_house_account(t.aggregator, t.user_id);
  const bool to_wallet = posting == P::stake_return || posting == P::win;
  const std::string kind = posting == P::stake          ? "casino_stake"
                           : posting == P::stake_return ? "casino_stake_return"
                           : posting == P::win          ? "casino_win"
                                                        : "casino_win_return";
  return move_money(domain::casino_ledger_id(posting, t.aggregator, t.tid), kind, t.round_id,
                    to_wallet ? house : wallet, to_wallet ? wallet : house, t.amount);
}

namespace {

std::string select_transaction(bool for_update) {
  return std::string("SELECT ") + kColumns + " FROM casino_transactions WHERE aggregator = $1 AND tid = $2" +
         (for_update ? " FOR UPDATE" : "");
}

constexpr const char* kSelectPlayer = "SELECT locked_at FROM users WHERE id = $1";

std::string insert_transaction() {
  return std::string("INSERT INTO casino_transactions (") + kColumns +
         ", updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)"
         " ON CONFLICT (aggregator, tid) DO NOTHING";
}

// INSERT ... SELECT: the row only when the player exists and may make this move. A debit of a player who is
// locked, excluded, without a date of birth or with stake or loss limits is not claimed here: the look-first path
// (CasinoWallet::transact) decides it, counting the limits' windows under their lock. Parameters are cast
// (PostgreSQL types a bare parameter of a select list as text); WHERE is required by SQLite's parser before
// ON CONFLICT in an INSERT ... SELECT.
std::string insert_for_player() {
  return std::string("INSERT INTO casino_transactions (") + kColumns +
         ", updated_at) SELECT $1, $2, $3, $4, $5, CAST($6 AS BIGINT), $7, $8, $9, $10, $11, $12, CAST($13 AS BIGINT),"
         " CAST($13 AS BIGINT) FROM users WHERE id = $3 AND ($4 <> 'debit' OR (locked_at IS NULL"
         " AND date_of_birth IS NOT NULL AND (excluded_until IS NULL OR excluded_until <= CAST($13 AS BIGINT))"
         " AND NOT EXISTS (SELECT 1 FROM player_limits WHERE user_id = $3 AND kind IN ('stake', 'loss'))))"
         " ON CONFLICT (aggregator, tid) DO NOTHING";
}

std::vector<Value> insert_values(const CasinoTransaction& t) {
  return values_of(t.aggregator, t.tid, t.user_id, std::string(domain::to_string(t.kind)), t.subtype, t.amount,
                   t.currency, t.round_id, t.action_id, t.game, t.rollback_of, std::string(domain::to_string(t.status)),
                   now_micros());
}

}  // namespace

Awaitable<CasinoLookup> CasinoRepository::lookup(Tx& tx, const std::string& aggregator, const std::string& tid,
                                                 const std::string& user_id) {
  std::vector<Statement> statements;
  statements.push_back(Statement{select_transaction(false), values_of(aggregator, tid)});
  statements.push_back(Statement{kSelectPlayer, values_of(user_id)});
  const auto results = co_await tx.execute_together(std::move(statements));
  CasinoLookup out;
  if (!results[0].empty()) out.seen = from_row(results[0].one());
  if (!results[1].empty()) out.player = CasinoPlayer{.locked = !results[1].one().is_null(0)};
  co_return out;
}

Awaitable<std::optional<CasinoTransaction>> CasinoRepository::find(Tx& tx, const std::string& aggregator,
                                                                   const std::string& tid, bool for_update) {
  const auto rows = co_await tx.exec(select_transaction(for_update), aggregator, tid);
  if (rows.empty()) co_return std::nullopt;
  co_return from_row(rows.one());
}

Awaitable<bool> CasinoRepository::claim(Tx& tx, const CasinoTransaction& t) {
  const auto rows = co_await tx.execute(insert_transaction() + " RETURNING tid", insert_values(t));
  co_return !rows.empty();
}

Awaitable<void> CasinoRepository::claim_expecting_none(Tx& tx, const CasinoTransaction& t) {
  co_await tx.defer_expecting(1, insert_transaction(), insert_values(t));
}

namespace {

// claim_and_post on PostgreSQL. $1..$13 are the claim's (insert_values), then the ledger transaction's id, kind
// and reference, each posting's account, amount and seq (in account-id order), and the account to report.
// A claim that does not take leaves `header` empty, and so every later step. The accounts are locked in id
// order (`locked`: a locking SELECT locks as it sorts) before the UPDATE touches them: an UPDATE alone locks
// in whatever order its plan reads the rows, and two callbacks of one player deadlocked. A claim that takes with a
// header id already recorded fails the statement (the primary key), as does a missing account
// (b2w_expect_rows): either way nothing of it is kept. With `usage`, $24 and $25 are the stakes and paybacks the
// wallet ($26) adds to its hour's figures on its row (store/wallet_usage.hpp); `passed` saves the row's old hour when
// it is not this one, from the row as `locked` read it under the lock.
std::string claim_and_post_statement(bool usage) {
  const std::string hour = "CAST($13 AS BIGINT) / " + std::to_string(kMicrosPerHour);
  const std::string tally =
      usage ? ", hour_stakes = CASE WHEN ledger_accounts.id <> $26 THEN ledger_accounts.hour_stakes"
              " WHEN ledger_accounts.usage_hour = " +
                  hour +
                  " THEN ledger_accounts.hour_stakes + CAST($24 AS BIGINT) ELSE CAST($24 AS BIGINT) END,"
                  " hour_paybacks = CASE WHEN ledger_accounts.id <> $26 THEN ledger_accounts.hour_paybacks"
                  " WHEN ledger_accounts.usage_hour = " +
                  hour +
                  " THEN ledger_accounts.hour_paybacks + CAST($25 AS BIGINT) ELSE CAST($25 AS BIGINT) END,"
                  " usage_hour = CASE WHEN ledger_accounts.id <> $26 THEN ledger_accounts.usage_hour ELSE " +
                  hour + " END"
            : std::string();
  const std::string passed =
      usage ? ", passed AS (INSERT INTO wallet_usage_hours (user_id, hour, stakes, paybacks)"
              " SELECT $3, l.usage_hour, l.hour_stakes, l.hour_paybacks FROM locked l WHERE l.id = $26"
              " AND l.usage_hour <> " +
                  hour +
                  " AND (l.hour_stakes <> 0 OR l.hour_paybacks <> 0) AND EXISTS (SELECT 1 FROM entries)"
                  " ON CONFLICT (user_id, hour) DO UPDATE SET stakes = wallet_usage_hours.stakes + excluded.stakes,"
                  " paybacks = wallet_usage_hours.paybacks + excluded.paybacks)"
            : std::string();
  return "WITH claim AS (" + insert_for_player() +
         " RETURNING tid),"
         " header AS (INSERT INTO ledger_transactions (id, kind, reference, created_at)"
         " SELECT $14, $15, $16, CAST($13 AS BIGINT) FROM claim RETURNING id),"
         " locked AS (SELECT id, " +
         kHourTallyColumns +
         " FROM ledger_accounts WHERE id IN ($17, $20) AND EXISTS (SELECT 1 FROM header)"
         " ORDER BY id COLLATE \"C\" FOR NO KEY UPDATE),"
         " moved AS (UPDATE ledger_accounts SET balance = ledger_accounts.balance + v.amount" +
         tally +
         " FROM (VALUES ($17, CAST($18 AS BIGINT), CAST($19 AS INTEGER)), ($20, CAST($21 AS BIGINT),"
         " CAST($22 AS INTEGER))) AS v (account_id, amount, seq), locked"
         " WHERE ledger_accounts.id = v.account_id AND locked.id = v.account_id"
         " RETURNING v.account_id, v.amount, v.seq, ledger_accounts.balance),"
         " entries AS (INSERT INTO ledger_entries (transaction_id, seq, account_id, amount, balance_after, created_at)"
         " SELECT $14, seq, account_id, amount, balance, CAST($13 AS BIGINT) FROM moved"
         " RETURNING account_id, balance_after)" +
         passed +
         " SELECT b2w_expect_rows((SELECT COUNT(*) FROM entries), 2 * (SELECT COUNT(*) FROM header)),"
         " (SELECT balance_after FROM entries WHERE account_id = $23)";
}

}  // namespace

Awaitable<std::optional<domain::Kobo>> CasinoRepository::claim_and_post(const CasinoTransaction& t,
                                                                        const LedgerTransfer& transfer,
                                                                        const std::string& report_account) {
  if (db_.dialect() == Dialect::sqlite) {
    co_return co_await transaction(db_, [&](Tx& tx) -> Awaitable<std::optional<domain::Kobo>> {
      const auto claimed = co_await tx.execute(insert_for_player(), insert_values(t));
      if (claimed.affected != 1) co_return std::nullopt;
      co_return co_await LedgerRepository::post_reporting(tx, transfer, report_account);
    });
  }
  if (transfer.postings.size() != 2 || transfer.postings[0].account_id == transfer.postings[1].account_id)
    throw QueryError("claim_and_post takes a transfer between two accounts: " + transfer.id);
  if (auto problem = domain::posting_problem(transfer.postings))
    throw QueryError("invalid ledger transfer " + transfer.id + ": " + *problem);
  auto postings = transfer.postings;
  std::vector<std::int64_t> seq{0, 1};
  if (postings[1].account_id < postings[0].account_id) {
    std::swap(postings[0], postings[1]);
    std::swap(seq[0], seq[1]);
  }
  auto params = insert_values(t);
  for (auto& v : values_of(transfer.id, transfer.kind, transfer.reference, postings[0].account_id, postings[0].amount,
                           seq[0], postings[1].account_id, postings[1].amount, seq[1], report_account))
    params.push_back(std::move(v));
  const std::vector<const LedgerTransfer*> posted{&transfer};
  const auto deltas = usage_deltas(posted);
  const auto wallet = wallet_account(t.user_id);
  const auto delta = deltas.find(wallet);
  const bool usage = delta != deltas.end() && !delta->second.empty();
  if (usage)
    for (auto& v : values_of(delta->second.stakes, delta->second.paybacks, wallet)) params.push_back(std::move(v));
  Result result;
  try {
    result = co_await db_.execute(claim_and_post_statement(usage), std::move(params));
  } catch (const ConstraintViolation& e) {
    if (e.constraint() == "ledger_accounts_no_overdraft") throw InsufficientFunds(report_account);
    throw;
  }
  const auto balance = result.one().opt_i64(1);
  co_return balance;
}

Awaitable<void> CasinoRepository::move(Tx& tx, const CasinoTransaction& t, domain::CasinoTxStatus from,
                                       domain::CasinoTxStatus to) {
  co_await tx.defer_expecting(1,
                              "UPDATE casino_transactions SET status = $1, updated_at = $2"
                              " WHERE aggregator = $3 AND tid = $4 AND status = $5",
                              values_of(std::string(domain::to_string(to)), now_micros(), t.aggregator, t.tid,
                                        std::string(domain::to_string(from))));
}

Awaitable<domain::Kobo> CasinoRepository::wallet_balance(Tx& tx, const std::string& user_id) {
  const auto rows = co_await tx.exec("SELECT balance FROM ledger_accounts WHERE id = $1", wallet_account(user_id));
  co_return rows.empty() ? 0 : rows.one().i64(0);
}

namespace {

// What a round or a period counts: accepted debits and credits; a rolled-back one moved nothing for good.
constexpr const char* kStakedAndWon =
    "SUM(CASE WHEN kind = 'debit' AND status = 'debited' THEN amount ELSE 0 END),"
    " SUM(CASE WHEN kind = 'credit' AND status = 'credited' THEN amount ELSE 0 END)";

}  // namespace

Awaitable<std::vector<CasinoRound>> CasinoRepository::rounds(
    std::string user_id, int limit, std::optional<std::pair<std::int64_t, std::string>> before) {
  const std::string sql =
      std::string("SELECT aggregator, round_id, MAX(game), ") + kStakedAndWon +
      ", MIN(created_at), MAX(created_at) FROM casino_transactions"
      " WHERE user_id = $1 AND status IN ('debited', 'credited', 'rolled_back') GROUP BY aggregator, round_id"
      " HAVING CAST($2 AS BIGINT) = 0 OR MAX(created_at) < CAST($2 AS BIGINT)"
      " OR (MAX(created_at) = CAST($2 AS BIGINT) AND aggregator || ':' || round_id < $3)"
      " ORDER BY MAX(created_at) DESC, aggregator || ':' || round_id DESC LIMIT $4";
  const std::int64_t at = before ? before->first : 0;
  const std::string key = before ? before->second : "";
  const auto rows = co_await db_.query(sql, user_id, at, key, limit);
  std::vector<CasinoRound> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows)
    out.push_back(CasinoRound{r.str(0), r.str(1), r.str(2), r.i64(3), r.i64(4), r.i64(5), r.i64(6)});
  co_return out;
}

Awaitable<std::vector<CasinoGameTotals>> CasinoRepository::totals(std::int64_t from, std::int64_t to) {
  const std::string sql = std::string("SELECT aggregator, game, COUNT(DISTINCT round_id), ") + kStakedAndWon +
                          " FROM casino_transactions WHERE created_at >= $1 AND created_at < $2"
                          " AND status IN ('debited', 'credited') GROUP BY aggregator, game ORDER BY aggregator, game";
  const auto rows = co_await db_.query(sql, from, to);
  std::vector<CasinoGameTotals> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(CasinoGameTotals{r.str(0), r.str(1), r.i64(2), r.i64(3), r.i64(4)});
  co_return out;
}

Awaitable<std::optional<domain::Kobo>> CasinoRepository::balance_of(std::string user_id) {
  const auto rows = co_await db_.query("SELECT balance FROM ledger_accounts WHERE id = $1", wallet_account(user_id));
  if (rows.empty()) co_return std::nullopt;
  co_return rows.one().i64(0);
}

}  // namespace b2w::store
