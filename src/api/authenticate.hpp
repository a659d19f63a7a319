#pragma once
#include "auth/tokens.hpp"
#include "domain/roles.hpp"
#include "http/request_context.hpp"
#include "store/users.hpp"

namespace b2w::api {

// The bearer token's claims, from the token alone (signature, kind, expiry); throws 401
// (unauthorized, invalid_token or token_expired) with WWW-Authenticate: Bearer. Enough for reads of
// one's own data: a revoked token keeps reading until it expires (JWT_EXPIRY).
security::Claims require_user(const http::RequestContext& ctx, const auth::TokenService& tokens);
// The bearer token in the Authorization header, if any.
std::string_view bearer_token(const http::RequestContext& ctx);

// Authentication for the routes that move money or administer (the list is in README.md, "Accounts
// and tokens"): the token, then one primary-key read of the user. An unknown user is 401
// invalid_token; a token older than the user's token version (logout-all, a reused refresh token,
// a role change) is 401 token_revoked; the role is the database's, so a demotion applies at once.
// Until the route table declares policies (issue 16), handlers call one of these.
class Authenticator {
 public:
  Authenticator(const auth::TokenService& tokens, store::UserRepository& users) : tokens_(tokens), users_(users) {}

  // Token only (require_user).
  security::Claims user(const http::RequestContext& ctx) const { return require_user(ctx, tokens_); }
  // Token and database; the claims come back with the database's role.
  http::Awaitable<security::Claims> current_user(const http::RequestContext& ctx) const;
  // As current_user, and 403 forbidden unless the database's role is staff that `admitted` admits
  // (domain::Roles::admit: a listed role, or superadmin).
  http::Awaitable<security::Claims> staff(const http::RequestContext& ctx, domain::Roles admitted) const;

  const auth::TokenService& tokens() const { return tokens_; }

 private:
  const auth::TokenService& tokens_;
  store::UserRepository& users_;
};

}  // namespace b2w::api
