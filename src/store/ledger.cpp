#include "store/ledger.hpp"

#include <algorithm>

namespace b2w::store {

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
  if (auto problem = domain::posting_problem(transfer.postings))
    throw QueryError("invalid ledger transfer: " + *problem);
  const auto now = now_micros();
  const auto inserted = co_await tx.exec(
      "INSERT INTO ledger_transactions (id, kind, reference, created_at) VALUES ($1, $2, $3, $4)"
      " ON CONFLICT (id) DO NOTHING",
      transfer.id, transfer.kind, transfer.reference, now);
  if (inserted.affected == 0) co_return false;  // already recorded: exactly once

  std::vector<std::size_t> order(transfer.postings.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return transfer.postings[a].account_id < transfer.postings[b].account_id; });
  // One UPDATE per account, in id order (no deadlocks): it locks the row, applies the amount and
  // returns the new balance; the no-overdraft CHECK refuses what a user account cannot afford.
  std::vector<domain::Kobo> balance_after(transfer.postings.size());
  for (const auto i : order) {
    const auto& p = transfer.postings[i];
    Result row;
    bool overdraft = false;
    try {
      row = co_await tx.exec("UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2 RETURNING balance",
                             p.amount, p.account_id);
    } catch (const ConstraintViolation& e) {
      if (e.constraint().find("no_overdraft") == std::string::npos) throw;
      overdraft = true;
    }
    if (overdraft) throw InsufficientFunds(p.account_id);
    if (row.empty()) throw QueryError("no ledger account " + p.account_id);
    balance_after[i] = row.one().i64(0);
  }
  // All the entries in one statement.
  std::string sql = "INSERT INTO ledger_entries (transaction_id, seq, account_id, amount, balance_after, created_at) VALUES ";
  std::vector<Value> params;
  for (std::size_t i = 0; i < transfer.postings.size(); ++i) {
    const auto base = i * 6;
    sql += (i ? ", (" : "(");
    for (std::size_t k = 1; k <= 6; ++k) sql += "$" + std::to_string(base + k) + (k < 6 ? ", " : ")");
    params.push_back(Value{transfer.id});
    params.push_back(Value{static_cast<std::int64_t>(i)});
    params.push_back(Value{transfer.postings[i].account_id});
    params.push_back(Value{transfer.postings[i].amount});
    params.push_back(Value{balance_after[i]});
    params.push_back(Value{now});
  }
  co_await tx.execute(sql, std::move(params));
  co_return true;
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
                                  " AND (e.created_at < $2 OR (e.created_at = $2 AND e.transaction_id < $3))"
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

Awaitable<std::vector<std::string>> LedgerRepository::verify() {
  std::vector<std::string> problems;
  for (const auto& r : (co_await db_.query("SELECT a.id, a.balance, COALESCE(SUM(e.amount), 0) FROM ledger_accounts a"
                                           " LEFT JOIN ledger_entries e ON e.account_id = a.id GROUP BY a.id, a.balance"
                                           " HAVING a.balance <> COALESCE(SUM(e.amount), 0)"))
                           .rows)
    problems.push_back("account " + r.str(0) + ": balance " + r.str(1) + " but its entries sum to " + r.str(2));
  for (const auto& r : (co_await db_.query("SELECT transaction_id, SUM(amount) FROM ledger_entries"
                                           " GROUP BY transaction_id HAVING SUM(amount) <> 0"))
                           .rows)
    problems.push_back("transaction " + r.str(0) + ": entries sum to " + r.str(1) + ", not 0");
  for (const auto& r : (co_await db_.query("SELECT t.id, COUNT(e.seq) FROM ledger_transactions t"
                                           " LEFT JOIN ledger_entries e ON e.transaction_id = t.id"
                                           " GROUP BY t.id HAVING COUNT(e.seq) < 2"))
                           .rows)
    problems.push_back("transaction " + r.str(0) + ": " + r.str(1) + " entries (at least 2 needed)");
  for (const auto& r :
       (co_await db_.query("SELECT id, balance FROM ledger_accounts WHERE may_go_negative = 0 AND balance < 0")).rows)
    problems.push_back("account " + r.str(0) + ": negative balance " + r.str(1));
  const auto total = (co_await db_.query("SELECT COALESCE(SUM(balance), 0) FROM ledger_accounts")).one().i64(0);
  if (total != 0)
    problems.push_back("all balances sum to " + std::to_string(total) + ", not 0: money was created or lost");
  co_return problems;
}

}  // namespace b2w::store
