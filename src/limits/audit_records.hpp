#pragma once
#include <string>
#include <vector>

#include "domain/audit_chain.hpp"
#include "store/audit.hpp"
#include "store/player_limits.hpp"
#include "store/users.hpp"

// What the audit trail records of a player's own controls (issue 20: every player control change is recorded).
namespace b2w::limits {

store::AuditEntry date_of_birth_record(const domain::Actor& player, const std::string& date_of_birth);
store::AuditEntry exclusion_record(const domain::Actor& player, const store::UserRecord& before,
                                   const store::UserRecord& after);
// One record of the limits that changed; `before` and `after` list the same kinds and periods.
store::AuditEntry limits_record(const domain::Actor& player, const std::vector<store::StoredLimit>& before,
                                const std::vector<store::StoredLimit>& after);

}  // namespace b2w::limits
