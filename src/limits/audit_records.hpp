#pragma once
#include <optional>
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
// One record of the limits of `user_id` that changed (`before` and `after` list the same kinds and periods): the
// player's own (`player.limits`) or an operator's (`user.limits`, with the operator's reason).
store::AuditEntry limits_record(const domain::Actor& who, const std::string& user_id,
                                const std::vector<store::StoredLimit>& before,
                                const std::vector<store::StoredLimit>& after,
                                const std::optional<std::string>& operator_reason = std::nullopt);

}  // namespace b2w::limits
