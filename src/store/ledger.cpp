#include "store/ledger.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "store/wallet_usage.hpp"

namespace b2w::store {

std::string paystack_clearing_account(std::string_view payment_id) {
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a: stable across builds and platforms
  for (const unsigned char c : payment_id) hash = (hash ^ c) * 1099511628211ULL;
  hash ^= hash >> 32;  // FNV's low bits depend only on the bytes' low bits: fold the high ones in
  const auto shard = hash % kPaystackClearingShards;
  std::string id = kPaystackClearingAccount;
  if (shard != 0) id += ":" + std::to_string(shard);
  return id;
}

std::string wallet_account(const std::string& user_id) {
  return "wallet:" + user_id;
}
std::string pending_withdrawals_account(const std::string& user_id) {
  return "pending_withdrawals:" + user_id;
}
std::string bets_in_play_account(const std::string& user_id) {
  return "bets_in_play:" + user_id;
}

LedgerTransfer move_money(std::string id, std::string kind, std::string reference, std::string from, std::string to,
                          domain::Kobo amount) {
  LedgerTransfer t{std::move(id), std::move(kind), std::move(reference), {}};
  t.postings.push_back({std::move(from), -amount});
  t.postings.push_back({std::move(to), amount});
  return t;
}

Awaitable<void> LedgerRepository::open_user_accounts(Tx& tx, const std::string& user_id) {
  const auto now = now_micros();
  const std::pair<std::string, const char*> accounts[] = {{wallet_account(user_id), "wallet"},
                                                          {pending_withdrawals_account(user_id), "pending_withdrawals"},
                                                          {bets_in_play_account(user_id), "bets_in_play"}};
  for (const auto& [id, kind] : accounts)
    co_await tx.exec(
        "INSERT INTO ledger_accounts (id, kind, user_id, created_at) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (id) DO NOTHING",
        id, kind, user_id, now);
}

Awaitable<bool> LedgerRepository::post(Tx& tx, const LedgerTransfer& transfer) {
  std::vector<LedgerTransfer> one;
  one.push_back(transfer);
  co_return co_await post_many(tx, one) == 1;
}

namespace {

// Rows per multi-row statement: well under both databases' parameter limits.
constexpr std::size_t kRowsPerStatement = 1000;

// post_many's first round trip: INSERT ... RETURNING for the transaction headers (`header_statements`
// of them), then SELECT ... FOR UPDATE over every account the transfers touch, in byte order on both
// databases (PostgreSQL's default collation may differ), the order the chunks follow too.
std::vector<Statement> headers_then_locks(const std::vector<LedgerTransfer>& transfers, std::int64_t now,
                                          Dialect dialect, std::size_t& header_statements) {
  std::vector<Statement> statements;
  for (std::size_t from = 0; from < transfers.size(); from += kRowsPerStatement) {
    const auto n = std::min(kRowsPerStatement, transfers.size() - from);
    std::vector<Value> params;
    params.reserve(n * 5);
    for (std::size_t i = from; i < from + n; ++i) {
      params.push_back(Value{transfers[i].id});
      params.push_back(Value{transfers[i].kind});
      params.push_back(Value{transfers[i].reference});
      params.push_back(Value{now});
      params.push_back(transfers[i].closes.empty() ? null_value : Value{transfers[i].closes});
    }
    // Only a repeated id is skipped: a second transfer closing the same hold fails on the unique `closes`.
    statements.push_back(Statement{"INSERT INTO ledger_transactions (id, kind, reference, created_at, closes) VALUES " +
                                       value_rows(n, 5) + " ON CONFLICT (id) DO NOTHING RETURNING id",
                                   std::move(params)});
  }
  header_statements = statements.size();
  std::set<std::string> accounts;
  for (const auto& t : transfers)
    for (const auto& p : t.postings) accounts.insert(p.account_id);
  for (auto it = accounts.begin(); it != accounts.end();) {
    std::vector<Value> ids;
    for (std::size_t n = 0; it != accounts.end() && n < kRowsPerStatement; ++it, ++n) ids.push_back(Value{*it});
    const auto count = ids.size();
    statements.push_back(Statement{"SELECT id, balance, may_go_negative, " + std::string(kHourTallyColumns) +
                                       " FROM ledger_accounts WHERE id IN (" + parameter_list(1, count) +
                                       ") ORDER BY id" + (dialect == Dialect::postgres ? " COLLATE \"C\"" : "") +
                                       " FOR UPDATE",
                                   std::move(ids)});
  }
  return statements;
}

}  // namespace

namespace {

// Net change per account; throws if an account is missing or would be overdrawn.
std::map<std::string, domain::Kobo> checked_deltas(const std::vector<const LedgerTransfer*>& apply,
                                                   const PostLocks& locked) {
  std::map<std::string, domain::Kobo> delta;
  for (const auto* t : apply)
    for (const auto& p : t->postings) delta[p.account_id] += p.amount;
  for (const auto& [id, change] : delta) {
    const auto it = locked.balance.find(id);
    if (it == locked.balance.end()) throw QueryError("no ledger account " + id);
    if (!locked.may_go_negative.count(id) && it->second + change < 0) throw InsufficientFunds(id);
  }
  return delta;
}

// The balance updates, applied at once; the wallets' stakes and paybacks ride on the same rows (`usage`, in `hour`:
// a row holding another hour starts this one; hours_passed saved the old one). The CHECK on ledger_accounts stays
// the last line of defence against an overdraft.
std::vector<Statement> balance_updates(const std::map<std::string, domain::Kobo>& delta,
                                       const std::map<std::string, UsageDelta>& usage, std::int64_t hour) {
  std::vector<Statement> statements;
  const bool tallied = std::any_of(usage.begin(), usage.end(), [](const auto& u) { return !u.second.empty(); });
  const std::size_t columns = tallied ? 4 : 2;
  for (auto it = delta.begin(); it != delta.end();) {
    std::vector<Value> params;
    std::size_t n = 0;
    for (; it != delta.end() && n < kRowsPerStatement; ++it, ++n) {
      params.emplace_back(it->first);
      params.emplace_back(it->second);
      if (!tallied) continue;
      const auto u = usage.find(it->first);
      const bool moves = u != usage.end() && !u->second.empty();
      params.emplace_back(moves ? Value{u->second.stakes} : null_value);
      params.emplace_back(moves ? Value{u->second.paybacks} : null_value);
    }
    std::string sql = "UPDATE ledger_accounts SET balance = balance + CAST(v.column2 AS BIGINT)";
    if (tallied) {
      params.emplace_back(hour);  // a parameter, not text: one prepared statement whatever the hour
      const auto h = "CAST($" + std::to_string(params.size()) + " AS BIGINT)";
      // Every SET reads the row as it was: usage_hour is the old hour in each CASE.
      sql += ", hour_stakes = CASE WHEN v.column3 IS NULL THEN hour_stakes WHEN usage_hour = " + h +
             " THEN hour_stakes + CAST(v.column3 AS BIGINT) ELSE CAST(v.column3 AS BIGINT) END,"
             " hour_paybacks = CASE WHEN v.column3 IS NULL THEN hour_paybacks WHEN usage_hour = " +
             h + " THEN hour_paybacks + CAST(v.column4 AS BIGINT) ELSE CAST(v.column4 AS BIGINT) END," +
             " usage_hour = CASE WHEN v.column3 IS NULL THEN usage_hour ELSE " + h + " END";
    }
    statements.push_back(
        Statement{sql + " FROM (VALUES " + value_rows(n, columns) + ") AS v WHERE ledger_accounts.id = v.column1",
                  std::move(params)});
  }
  return statements;
}

// The entries, each with the balance it left, in the order the transfers were given.
std::vector<Statement> entry_inserts(const std::vector<const LedgerTransfer*>& apply,
                                     std::map<std::string, domain::Kobo> running, std::int64_t now) {
  std::vector<Statement> statements;
  std::vector<Value> params;
  std::size_t rows = 0;
  auto flush = [&] {
    if (rows == 0) return;
    statements.push_back(Statement{
        "INSERT INTO ledger_entries (transaction_id, seq, account_id, amount, balance_after, created_at) VALUES " +
            value_rows(rows, 6),
        std::move(params)});
    params.clear();
    rows = 0;
  };
  for (const auto* t : apply) {
    for (std::size_t i = 0; i < t->postings.size(); ++i) {
      const auto& p = t->postings[i];
      auto& balance = running.at(p.account_id);
      balance += p.amount;
      params.emplace_back(t->id);
      params.emplace_back(static_cast<std::int64_t>(i));
      params.emplace_back(p.account_id);
      params.emplace_back(p.amount);
      params.emplace_back(balance);
      params.emplace_back(now);
      if (++rows == kRowsPerStatement) flush();
    }
  }
  flush();
  return statements;
}

}  // namespace

Awaitable<domain::Kobo> LedgerRepository::post_reporting(Tx& tx, const LedgerTransfer& transfer, std::string account) {
  std::vector<LedgerTransfer> one;
  one.push_back(transfer);
  std::map<std::string, domain::Kobo> after;
  co_await post_many(tx, one, &after);
  const auto it = after.find(account);
  if (it == after.end()) throw QueryError("ledger account " + account + " is not one of " + transfer.id + "'s");
  co_return it->second;
}

Awaitable<std::size_t> LedgerRepository::post_many(Tx& tx, const std::vector<LedgerTransfer>& transfers,
                                                   std::map<std::string, domain::Kobo>* balances_after) {
  if (transfers.empty()) co_return 0;
  ReadBatch reads(tx.dialect());
  const auto locks = lock_for_post(reads, transfers);
  co_await reads.run(tx);
  co_return co_await post_locked(tx, transfers, *locks, balances_after);
}

ReadBatch::Later<PostLocks> LedgerRepository::lock_for_post(ReadBatch& reads,
                                                            const std::vector<LedgerTransfer>& transfers) {
  // One round trip for both: the transaction headers (those already recorded are skipped: exactly
  // once), then every account the transfers touch, locked in id order (no deadlocks). A transfer
  // that was recorded already locks its accounts for nothing, which only a repeated posting pays.
  const auto now = now_micros();
  std::size_t header_statements = 0;
  auto statements = headers_then_locks(transfers, now, reads.dialect(), header_statements);
  return reads.add<PostLocks>(std::move(statements), [now, header_statements](std::span<const Result> results) {
    PostLocks locks;
    locks.now = now;
    for (std::size_t i = 0; i < header_statements; ++i)
      for (const auto& r : results[i].rows) locks.fresh.insert(r.str(0));
    for (std::size_t i = header_statements; i < results.size(); ++i)
      for (const auto& r : results[i].rows) {
        locks.balance[r.str(0)] = r.i64(1);
        if (r.i64(2) != 0) locks.may_go_negative.insert(r.str(0));
        if (!r.is_null(3)) locks.tallies[r.str(0)] = HourTally{r.i64(3), UsageDelta{r.i64(4), r.i64(5)}};
      }
    return locks;
  });
}

Awaitable<std::size_t> LedgerRepository::post_locked(Tx& tx, const std::vector<LedgerTransfer>& transfers,
                                                     const PostLocks& locks,
                                                     std::map<std::string, domain::Kobo>* balances_after) {
  // (An invalid transfer throws here, after its header was written: the caller's transaction rolls back.)
  for (const auto& t : transfers)
    if (auto problem = domain::posting_problem(t.postings))
      throw QueryError("invalid ledger transfer " + t.id + ": " + *problem);
  if (balances_after) *balances_after = locks.balance;
  // Each newly recorded id once (a batch that names an id twice records it once).
  auto fresh = locks.fresh;
  std::vector<const LedgerTransfer*> apply;
  for (const auto& t : transfers)
    if (fresh.erase(t.id)) apply.push_back(&t);
  if (apply.empty()) co_return 0;

  const auto delta = checked_deltas(apply, locks);
  if (balances_after)
    for (const auto& [id, change] : delta) (*balances_after)[id] += change;
  // Nothing reads these results in this transaction (the rows are locked already): they travel with
  // whatever the transaction sends next.
  const auto usage = usage_deltas(apply);
  const auto hour = usage_hour(locks.now);
  auto writes = balance_updates(delta, usage, hour);
  auto entries = entry_inserts(apply, locks.balance, locks.now);
  std::move(entries.begin(), entries.end(), std::back_inserter(writes));
  for (auto& statement : writes) co_await tx.defer(statement.sql, std::move(statement.params));
  co_await add_hours(tx, hours_passed(locks.tallies, usage, hour));
  co_return apply.size();
}

Awaitable<WalletBalances> LedgerRepository::balances(std::string user_id) {
  const auto rows = co_await db_.query("SELECT kind, balance FROM ledger_accounts WHERE user_id = $1", user_id);
  WalletBalances out;
  for (const auto& r : rows.rows) {
    if (r.str(0) == "wallet")
      out.balance = r.i64(1);
    else if (r.str(0) == "pending_withdrawals")
      out.pending_withdrawals = r.i64(1);
    else if (r.str(0) == "bets_in_play")
      out.in_play = r.i64(1);
  }
  co_return out;
}

Awaitable<std::vector<LedgerLine>> LedgerRepository::history(
    std::string account_id, int limit, std::optional<std::pair<std::int64_t, std::string>> before) {
  static constexpr const char* kSelect =
      "SELECT e.transaction_id, t.kind, e.amount, e.balance_after, t.reference, e.created_at"
      " FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id WHERE e.account_id = $1";
  Result rows;
  if (before) {
    rows = co_await db_.query(std::string(kSelect) +
                                  // A range of the (account_id, created_at, transaction_id) index (as in bets' list).
                                  " AND (e.created_at, e.transaction_id) < (CAST($2 AS BIGINT), $3)"
                                  " ORDER BY e.created_at DESC, e.transaction_id DESC LIMIT $4",
                              account_id, before->first, before->second, std::int64_t{limit});
  } else {
    rows = co_await db_.query(std::string(kSelect) + " ORDER BY e.created_at DESC, e.transaction_id DESC LIMIT $2",
                              account_id, std::int64_t{limit});
  }
  std::vector<LedgerLine> out;
  for (const auto& r : rows.rows) out.push_back({r.str(0), r.str(1), r.i64(2), r.i64(3), r.str(4), r.i64(5)});
  co_return out;
}

Awaitable<std::vector<std::pair<std::string, domain::Kobo>>> LedgerRepository::sums_by_kind(std::string account_id,
                                                                                            std::int64_t since) {
  const auto rows = co_await db_.query(
      "SELECT t.kind, SUM(e.amount) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id"
      " WHERE e.account_id = $1 AND e.created_at >= CAST($2 AS BIGINT) GROUP BY t.kind ORDER BY t.kind",
      std::move(account_id), since);
  std::vector<std::pair<std::string, domain::Kobo>> out;
  for (const auto& r : rows.rows) out.emplace_back(r.str(0), r.i64(1));
  co_return out;
}

}  // namespace b2w::store
