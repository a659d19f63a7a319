#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/audit_chain.hpp"
#include "store/db/database.hpp"

// The audit trail's table (audit_log and its head, migration 014): appends inside the caller's transaction,
// pages for the back office, and the chain's verification.
namespace b2w::store {

using domain::AuditRecord;

// What the caller records; the repository adds the id, seq, time and hashes.
struct AuditEntry {
  domain::Actor actor;
  std::string action;  // "market.settle"
  std::string entity_type;
  std::string entity_id;
  std::optional<std::string> before;  // JSON object text, or NULL (a creation)
  std::optional<std::string> after;   // JSON object text, or NULL
};

struct AuditFilter {
  std::optional<std::string> actor_id;
  std::optional<std::string> entity_type;
  std::optional<std::string> entity_id;
  std::optional<std::int64_t> from, to;  // created_at in [from, to)
  int limit = 20;
  std::optional<std::int64_t> before_seq;  // the last record seen: pages go from the newest back
};

// The first record that breaks the chain. `id` is empty when the record is missing (deleted at the end).
struct AuditBreak {
  std::int64_t seq = 0;
  std::string id;
  std::string problem;
};

struct AuditVerification {
  std::int64_t records = 0;  // checked, in seq order, up to the break if any
  std::optional<AuditBreak> broken;
};

class AuditRepository {
 public:
  explicit AuditRepository(Database& db) : db_(db) {}

  // Appends in the caller's transaction, so the record commits or rolls back with the change it records.
  // Locks the chain's head (PostgreSQL; SQLite's writer is single), so appends are ordered.
  static Awaitable<AuditRecord> append(Tx& tx, AuditEntry entry);

  // The newest records first, filtered; `limit` + 1 rows so the caller can tell a next page exists.
  Awaitable<std::vector<AuditRecord>> page(AuditFilter filter);

  // Reads the whole chain in seq order, `batch` records at a time, and checks every link and hash and that
  // the chain ends where its head says.
  Awaitable<AuditVerification> verify(std::int64_t batch = 1000);

 private:
  Database& db_;
};

}  // namespace b2w::store
