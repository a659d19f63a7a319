#include "api/authenticate.hpp"

#include <boost/beast/core/string.hpp>

#include "http/api_error.hpp"

namespace b2w::api {

using http::ApiError;
using http::Status;

std::string_view bearer_token(const http::RequestContext& ctx) {
  const auto header = ctx.request[http::Field::authorization];
  std::string_view value(header.data(), header.size());
  if (value.size() < 8 || !boost::beast::iequals(value.substr(0, 7), "Bearer ")) return {};
  value.remove_prefix(7);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return value;
}

security::Claims require_user(const http::RequestContext& ctx, const auth::TokenService& tokens) {
  const auto token = bearer_token(ctx);
  if (token.empty())
    throw ApiError(Status::unauthorized, "unauthorized", "A bearer access token is required")
        .header(http::Field::www_authenticate, "Bearer");
  // Verified by the rate-limit guard earlier in this request (the same header, moments ago).
  if (ctx.verified_token) {
    ctx.user_id = ctx.verified_token->sub;  // for an error report of this request
    return *ctx.verified_token;
  }
  auto verified = tokens.verify_access(token);
  if (auto* error = std::get_if<security::TokenError>(&verified)) {
    const auto code = security::token_error_code(*error);
    throw ApiError(Status::unauthorized, std::string(code),
                   code == "token_expired" ? "The access token has expired" : "The access token is not valid")
        .header(http::Field::www_authenticate, "Bearer error=\"invalid_token\"");
  }
  auto claims = std::get<security::Claims>(std::move(verified));
  ctx.user_id = claims.sub;
  return claims;
}

http::Awaitable<security::Claims> Authenticator::current_user(const http::RequestContext& ctx) const {
  auto claims = require_user(ctx, tokens_);
  const auto access = co_await users_.find_access(claims.sub);
  if (!access)
    throw ApiError(Status::unauthorized, "invalid_token", "The account no longer exists")
        .header(http::Field::www_authenticate, "Bearer error=\"invalid_token\"");
  if (claims.version != access->token_version)
    throw ApiError(Status::unauthorized, "token_revoked", "This token was revoked; sign in again")
        .header(http::Field::www_authenticate, "Bearer error=\"invalid_token\"");
  claims.role = access->role;
  co_return claims;
}

http::Awaitable<security::Claims> Authenticator::staff(const http::RequestContext& ctx, domain::Roles admitted) const {
  auto claims = co_await current_user(ctx);
  const auto role = domain::parse_role(claims.role);
  if (!role || !admitted.admit(*role)) {
    const auto listed = domain::to_string(admitted);
    throw ApiError(Status::forbidden, "forbidden",
                   listed.empty() ? "This action needs a superadmin"
                                  : "This action needs one of the staff roles: " + listed + " (or superadmin)");
  }
  co_return claims;
}

}  // namespace b2w::api
