#pragma once
#include "api/route_table.hpp"
#include "store/users.hpp"

namespace b2w::api {

// GET /users/me.
RouteHandler current_user(store::UserRepository& users);

}  // namespace b2w::api
