#include "store/payment_reports.hpp"

#include "store/ledger.hpp"

namespace b2w::store {

using domain::ReconciledPayment;

namespace {

constexpr const char* kColumns = "p.id, p.kind, p.reference, p.amount, p.currency, p.status, p.updated_at";

ReconciledPayment from_row(const Row& r) {
  ReconciledPayment p;
  p.id = r.str(0);
  const auto kind = domain::parse_payment_kind(r.str(1));
  const auto status = domain::parse_payment_status(r.str(5));
  if (!kind || !status) throw QueryError("payment " + p.id + " has an unknown kind or status");
  p.kind = *kind;
  p.reference = r.str(2);
  p.amount = r.i64(3);
  p.currency = r.str(4);
  p.status = *status;
  p.status_at = r.i64(6);
  return p;
}

std::string shard_account(std::size_t shard) {
  std::string id = kPaystackClearingAccount;
  if (shard != 0) id += ":" + std::to_string(shard);
  return id;
}

}  // namespace

Awaitable<std::vector<ReconciledPayment>> PaymentReportRepository::settled_between(
    domain::PaymentKind kind, domain::PaymentStatus status, std::int64_t from, std::int64_t to,
    std::optional<std::pair<std::int64_t, std::string>> after, int limit) {
  std::optional<std::int64_t> after_time;
  std::optional<std::string> after_id;
  if (after) {
    after_time = after->first;
    after_id = after->second;
  }
  // The clearing side of a payment's postings: the three posting ids that touch the clearing account
  // (store::payment_transfer), found by the entries' primary key; their wallet or hold side is left out by account.
  const auto rows = co_await db_.query(
      std::string("SELECT ") + kColumns +
          ", CAST(COALESCE(SUM(e.amount), 0) AS BIGINT), COUNT(e.transaction_id)"
          " FROM payments p LEFT JOIN ledger_entries e"
          " ON e.transaction_id IN ('deposit:' || p.id, 'withdrawal-settle:' || p.id, 'withdrawal-reversal:' || p.id)"
          " AND e.account_id LIKE 'provider_clearing:paystack%'"
          " WHERE p.kind = $1 AND p.status = $2 AND p.updated_at >= $3 AND p.updated_at < $4"
          " AND (CAST($5 AS BIGINT) IS NULL OR p.updated_at > $5 OR (p.updated_at = $5 AND p.id > $6))"
          " GROUP BY p.id, p.kind, p.reference, p.amount, p.currency, p.status, p.updated_at"
          " ORDER BY p.updated_at, p.id LIMIT $7",
      domain::to_string(kind), domain::to_string(status), from, to, after_time, after_id, std::int64_t{limit});
  std::vector<ReconciledPayment> out;
  for (const auto& r : rows.rows) {
    auto p = from_row(r);
    p.clearing_sum = r.i64(7);
    p.clearing_entries = static_cast<int>(r.i64(8));
    out.push_back(std::move(p));
  }
  co_return out;
}

Awaitable<std::optional<ReconciledPayment>> PaymentReportRepository::by_reference(std::string reference) {
  const auto rows =
      co_await db_.query(std::string("SELECT ") + kColumns + " FROM payments p WHERE p.reference = $1", reference);
  if (rows.empty()) co_return std::nullopt;
  co_return from_row(rows.rows.front());
}

Awaitable<std::optional<ReconciledPayment>> PaymentReportRepository::by_id(std::string id) {
  const auto rows = co_await db_.query(std::string("SELECT ") + kColumns + " FROM payments p WHERE p.id = $1", id);
  if (rows.empty()) co_return std::nullopt;
  co_return from_row(rows.rows.front());
}

Awaitable<std::vector<domain::ClearingPosting>> PaymentReportRepository::clearing_postings(std::size_t shard,
                                                                                           std::int64_t from,
                                                                                           std::int64_t to) {
  const auto rows = co_await db_.query(
      "SELECT transaction_id, amount FROM ledger_entries WHERE account_id = $1 AND created_at >= $2"
      " AND created_at < $3 ORDER BY created_at, transaction_id",
      shard_account(shard), from, to);
  std::vector<domain::ClearingPosting> out;
  for (const auto& r : rows.rows) {
    domain::ClearingPosting posting;
    posting.transaction_id = r.str(0);
    posting.amount = r.i64(1);
    if (const auto named = domain::parse_ledger_transaction_id(posting.transaction_id))
      posting.payment_id = named->second;
    out.push_back(std::move(posting));
  }
  co_return out;
}

}  // namespace b2w::store
