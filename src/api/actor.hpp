#pragma once
#include "api/route_table.hpp"
#include "domain/audit_chain.hpp"

namespace b2w::api {

// The staff member making a change, as services record it in the audit trail: the token's user and role,
// and the request's id (so a record leads to the request's logs).
inline domain::Actor actor_of(const Call& call) {
  return domain::Actor{call.user.sub, call.user.role, call.ctx.request_id};
}

}  // namespace b2w::api
