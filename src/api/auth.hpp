#pragma once
#include <boost/json/object.hpp>

#include "auth/accounts.hpp"
#include "api/authenticate.hpp"
#include "http/router.hpp"

namespace b2w::api {

// POST /auth/register, /auth/login, /auth/refresh, /auth/logout, /auth/logout-all.
void register_auth(http::Router& router, const std::string& root, auth::AccountService& accounts,
                   const api::Authenticator& authn);

// The public shape of a user: {id, email, full_name, phone, role, created_at}.
boost::json::object user_json(const store::UserRecord& user);

}  // namespace b2w::api
