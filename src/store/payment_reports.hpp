#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/reconciliation.hpp"
#include "store/db/database.hpp"

namespace b2w::store {

// The daily reconciliation's reads (issue 21): payments that reached a status in a period, with their postings on
// Paystack's clearing account, and the clearing account's entries of a period. Read-only.
class PaymentReportRepository {
 public:
  explicit PaymentReportRepository(Database& db) : db_(db) {}

  // Payments of `kind` in `status` whose updated_at is in [from, to), ordered by (updated_at, id), after the cursor
  // of the previous batch when given, at most `limit`; each with the sum and count of its postings' entries on the
  // clearing account (every shard, every day). Index payments_kind_status_updated (migration 021); the postings by
  // the ledger entries' primary key.
  Awaitable<std::vector<domain::ReconciledPayment>> settled_between(
      domain::PaymentKind kind, domain::PaymentStatus status, std::int64_t from, std::int64_t to,
      std::optional<std::pair<std::int64_t, std::string>> after, int limit);
  // One payment by reference (unique), without its postings (clearing_sum stays nullopt).
  Awaitable<std::optional<domain::ReconciledPayment>> by_reference(std::string reference);
  // One payment by id, without its postings.
  Awaitable<std::optional<domain::ReconciledPayment>> by_id(std::string id);
  // The entries on clearing shard `shard` (0 .. kPaystackClearingShards - 1) created in [from, to), each with the
  // payment its transaction names. Index ledger_entries_account (account_id, created_at, ...).
  Awaitable<std::vector<domain::ClearingPosting>> clearing_postings(std::size_t shard, std::int64_t from,
                                                                    std::int64_t to);

 private:
  Database& db_;
};

}  // namespace b2w::store
