#include "store/audit.hpp"

#include "util/ids.hpp"

namespace b2w::store {
namespace {

constexpr const char* kColumns =
    "seq, id, actor_id, actor_role, action, entity_type, entity_id, before, after, request_id, created_at,"
    " prev_hash, hash";

AuditRecord from_row(const Row& r) {
  AuditRecord a;
  a.seq = r.i64(0);
  a.id = r.str(1);
  a.actor_id = r.str(2);
  a.actor_role = r.str(3);
  a.action = r.str(4);
  a.entity_type = r.str(5);
  a.entity_id = r.str(6);
  a.before = r.opt_str(7);
  a.after = r.opt_str(8);
  a.request_id = r.str(9);
  a.created_at = r.i64(10);
  a.prev_hash = r.str(11);
  a.hash = r.str(12);
  return a;
}

std::vector<AuditRecord> records_of(const Result& result) {
  std::vector<AuditRecord> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) out.push_back(from_row(row));
  return out;
}

Statement page_statement(const AuditFilter& f) {
  Statement s{std::string("SELECT ") + kColumns + " FROM audit_log WHERE 1 = 1", {}};
  auto where = [&s](const char* condition, Value value) {
    s.params.push_back(std::move(value));
    s.sql += std::string(" AND ") + condition + " $" + std::to_string(s.params.size());
  };
  if (f.actor_id) where("actor_id =", *f.actor_id);
  if (f.entity_type) where("entity_type =", *f.entity_type);
  if (f.entity_id) where("entity_id =", *f.entity_id);
  if (f.from) where("created_at >=", *f.from);
  if (f.to) where("created_at <", *f.to);
  if (f.before_seq) where("seq <", *f.before_seq);
  s.params.push_back(Value{std::int64_t{f.limit} + 1});
  s.sql += " ORDER BY seq DESC LIMIT CAST($" + std::to_string(s.params.size()) + " AS BIGINT)";
  return s;
}

}  // namespace

Awaitable<AuditRecord> AuditRepository::append(Tx& tx, AuditEntry entry) {
  const auto head = co_await tx.exec("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
  AuditRecord r;
  r.seq = head.one().i64(0) + 1;
  r.prev_hash = head.one().str(1);
  r.id = new_id("aud");
  r.actor_id = std::move(entry.actor.id);
  r.actor_role = std::move(entry.actor.role);
  r.request_id = std::move(entry.actor.request_id);
  r.action = std::move(entry.action);
  r.entity_type = std::move(entry.entity_type);
  r.entity_id = std::move(entry.entity_id);
  r.before = std::move(entry.before);
  r.after = std::move(entry.after);
  r.created_at = now_micros();
  r.hash = domain::audit_hash(r);
  co_await tx.defer(std::string("INSERT INTO audit_log (") + kColumns +
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                    values_of(r.seq, r.id, r.actor_id, r.actor_role, r.action, r.entity_type, r.entity_id, r.before,
                              r.after, r.request_id, r.created_at, r.prev_hash, r.hash));
  // Under the head's lock the head cannot have moved; the condition makes a broken lock fail loudly.
  co_await tx.defer_expecting(1, "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1 AND seq = $3",
                              values_of(r.seq, r.hash, r.seq - 1));
  co_return r;
}

Awaitable<std::vector<AuditRecord>> AuditRepository::page(AuditFilter filter) {
  auto statement = page_statement(filter);
  const auto result = co_await db_.execute(std::move(statement.sql), std::move(statement.params));
  co_return records_of(result);
}

Awaitable<AuditVerification> AuditRepository::verify(std::int64_t batch) {
  // The head first: records 1..head.seq committed with it (one transaction), and appends made while this runs
  // come after it and are left for the next run.
  const auto head_result = co_await db_.query("SELECT seq, hash FROM audit_head WHERE id = 1");
  const auto head_seq = head_result.one().i64(0);
  const auto head_hash = head_result.one().str(1);
  AuditVerification out;
  std::int64_t prev_seq = 0;
  std::string prev_hash(domain::kAuditGenesisHash);
  std::string prev_id;
  for (;;) {
    const auto result =
        co_await db_.query(std::string("SELECT ") + kColumns +
                               " FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT CAST($3 AS BIGINT)",
                           prev_seq, head_seq, batch);
    if (result.empty()) break;
    for (const auto& record : records_of(result)) {
      if (auto problem = domain::audit_link_problem(record, prev_seq, prev_hash)) {
        out.broken = AuditBreak{record.seq, record.id, std::move(*problem)};
        co_return out;
      }
      ++out.records;
      prev_seq = record.seq;
      prev_hash = record.hash;
      prev_id = record.id;
    }
  }
  if (prev_seq != head_seq)
    out.broken = AuditBreak{prev_seq + 1, "",
                            "the chain ends at sequence " + std::to_string(prev_seq) + " but its head says " +
                                std::to_string(head_seq) + ": the last records are missing"};
  else if (prev_hash != head_hash)
    out.broken = AuditBreak{prev_seq, prev_id, "its hash is not the one the chain's head recorded: it was rewritten"};
  co_return out;
}

}  // namespace b2w::store
