#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The audit trail's tamper evidence: every record carries the SHA-256 of its own content and of the hash
// before it, so an edited record no longer matches its hash and a deleted one breaks the chain. Pure.
namespace b2w::domain {

// Who made a change: a staff member through the API (their user id, role and the request's id), or a
// command-line or background actor ("cli", "system") with an empty request id. Services take it from
// the caller; they never read it from HTTP themselves.
struct Actor {
  std::string id;
  std::string role;
  std::string request_id;
};

// One audit record as stored (table audit_log, migration 014).
struct AuditRecord {
  std::string id;        // "aud_…"
  std::int64_t seq = 0;  // 1, 2, 3 … without gaps: the chain's order
  std::string actor_id;
  std::string actor_role;
  std::string action;  // "market.settle"
  std::string entity_type;
  std::string entity_id;
  std::optional<std::string> before;  // JSON object text of the fields that changed, as they were
  std::optional<std::string> after;   // … and as they became
  std::string request_id;
  std::int64_t created_at = 0;  // epoch microseconds
  std::string prev_hash;        // the previous record's hash (kAuditGenesisHash for seq 1)
  std::string hash;             // audit_hash(*this), lower-case hex
};

// The prev_hash of the first record.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The bytes that are hashed: a version tag, then every field but `hash` in a fixed order, each written as
// its length, a colon and its bytes (NULL is "-"), so no content of one field can pass for another's.
std::string audit_canonical(const AuditRecord& record);
// SHA-256 of audit_canonical(record) in lower-case hex.
std::string audit_hash(const AuditRecord& record);

// Why `record` does not continue a chain whose previous record had sequence `prev_seq` and hash
// `prev_hash` (0 and kAuditGenesisHash before the first), or nullopt when it does.
std::optional<std::string> audit_link_problem(const AuditRecord& record, std::int64_t prev_seq,
                                              std::string_view prev_hash);

}  // namespace b2w::domain
