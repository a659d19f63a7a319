#pragma once
#include "auth/tokens.hpp"
#include "http/router.hpp"
#include "store/users.hpp"

namespace b2w::api {

// GET /users/me.
void register_users(http::Router& router, const std::string& root, store::UserRepository& users,
                    const auth::TokenService& tokens);

}  // namespace b2w::api
