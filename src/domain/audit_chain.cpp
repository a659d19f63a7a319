#include "domain/audit_chain.hpp"

#include <initializer_list>

#include "util/digest.hpp"

namespace b2w::domain {
namespace {

void put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

void put_nullable(std::string& out, const std::optional<std::string>& field) {
  if (field)
    put(out, *field);
  else
    out += '-';  // never the start of a length, so NULL differs from every string, the empty one included
}

}  // namespace

std::string audit_canonical(const AuditRecord& r) {
  const auto seq = std::to_string(r.seq);
  const auto created_at = std::to_string(r.created_at);
  std::string out = "b2w-audit-v1";
  for (const std::string* field :
       {&seq, &r.prev_hash, &r.id, &r.actor_id, &r.actor_role, &r.action, &r.entity_type, &r.entity_id})
    put(out, *field);
  put_nullable(out, r.before);
  put_nullable(out, r.after);
  put(out, r.request_id);
  put(out, created_at);
  return out;
}

std::string audit_hash(const AuditRecord& record) {
  return to_hex(sha256(audit_canonical(record)));
}

std::optional<std::string> audit_link_problem(const AuditRecord& record, std::int64_t prev_seq,
                                              std::string_view prev_hash) {
  if (record.seq != prev_seq + 1)
    return "sequence " + std::to_string(record.seq) + " follows " + std::to_string(prev_seq) +
           ": a record before it is missing";
  if (record.prev_hash != prev_hash) return "its previous hash is not the hash of the record before it";
  if (record.hash != audit_hash(record)) return "its hash does not match its content: the record was changed";
  return std::nullopt;
}

}  // namespace b2w::domain
