#pragma once
#include "api/route_table.hpp"
#include "identity/identity_verification.hpp"

namespace b2w::api {

// POST /users/me/identity {bvn, bank_code, account_number, first_name, last_name}: 202 with the pending check.
RouteHandler submit_identity(identity::IdentityVerification& verification);
// GET /users/me/identity: {check: the newest check (status, reason, bank code, times) or null}; never the BVN.
RouteHandler own_identity(identity::IdentityVerification& verification);

}  // namespace b2w::api
