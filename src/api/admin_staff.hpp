#pragma once
#include "api/route_table.hpp"
#include "auth/staff.hpp"

namespace b2w::api {

// Superadmin only (app/routes.cpp): GET /admin/staff lists staff accounts; POST /admin/staff {email, role}
// gives an existing account a role (`user` makes it a player again). Each is one call to auth::StaffService.
RouteHandler list_staff(auth::StaffService& staff);
RouteHandler assign_staff_role(auth::StaffService& staff);

}  // namespace b2w::api
