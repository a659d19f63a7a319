#pragma once
#include "auth/tokens.hpp"
#include "http/request_context.hpp"

namespace b2w::auth {

// The bearer token's claims; throws 401 (unauthorized, invalid_token or
// token_expired) with WWW-Authenticate: Bearer.
security::Claims require_user(const http::RequestContext& ctx, const TokenService& tokens);
// As require_user, and 403 forbidden unless the role is admin.
security::Claims require_admin(const http::RequestContext& ctx, const TokenService& tokens);
// The bearer token in the Authorization header, if any.
std::string_view bearer_token(const http::RequestContext& ctx);

}  // namespace b2w::auth
