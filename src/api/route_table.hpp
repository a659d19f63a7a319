#pragma once
#include <boost/json/value.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "api/authenticate.hpp"
#include "api/rate_limit_guard.hpp"
#include "domain/roles.hpp"
#include "http/router.hpp"
#include "security/jwt.hpp"
#include "store/idempotency.hpp"

namespace b2w::api {

// Who may call a route.
enum class Auth {
  none,      // anyone
  token,     // a valid access token alone: reads of one's own data (a revoked token reads until it expires)
  account,   // the token and the user's row: money moves (an unknown user or a revoked token is 401 at once)
  admin,     // staff: as account, and the database's role must be one the route admits (Policy::roles, 403 forbidden)
  optional,  // as account when a bearer token is sent (a bad one is 401), anonymous otherwise
};

enum class Cache {
  handler,   // the handler sets its own (public data with validators, static files)
  no_store,  // private: every response, errors included, says Cache-Control: no-store
};

enum class RateLimit {
  standard,  // counted per client IP and per user (RATE_LIMIT_*)
  exempt,    // never counted: the load balancer's health-check, the signed payment webhook
};

enum class Idempotency {
  none,
  keyed,     // the Idempotency-Key header is required; the service records the key with what it creates (a bet)
  replayed,  // the Idempotency-Key header is required; the first response is stored and replayed (api/idempotency.hpp)
};

// What a route requires, declared where it is registered (app/routes.cpp).
struct Policy {
  Auth auth = Auth::none;
  // For Auth::admin: the staff roles admitted (superadmin always is); none listed admits superadmin alone.
  domain::Roles roles{};
  Cache cache = Cache::handler;
  Idempotency idempotency = Idempotency::none;
  RateLimit rate = RateLimit::standard;
};

// One request as a handler sees it: the request and, for authenticated routes, the caller.
struct Call {
  http::RequestContext& ctx;
  security::Claims user;        // empty for Auth::none, and for Auth::optional without a token
  std::string idempotency_key;  // the validated header, for routes that require one

  std::string param(std::string_view name) const { return std::string(ctx.param(name)); }
  // The body as a JSON object; 400 invalid_json otherwise.
  boost::json::object body() const;
};

// Call by value: each handler coroutine owns its copy (docs/architecture.md, coroutine rule 1).
using RouteHandler = std::function<http::Awaitable<http::Response>(Call)>;

// A route as declared, for the tests that check the table's rules.
struct DeclaredRoute {
  http::Verb verb;
  std::string path;
  Policy policy;
};

// Registers routes with their policies: authentication, caching, idempotency and rate-limit class are
// applied here, once, so a handler only parses, calls one service and responds.
class RouteTable {
 public:
  RouteTable(http::Router& router, const Authenticator& auth, store::IdempotencyStore& keys, RateLimitGuard& guard)
      : router_(router), auth_(auth), keys_(keys), guard_(guard) {}

  // Throws std::invalid_argument for a policy that cannot work (idempotency without a caller, roles on a route
  // that is not an admin route) or a duplicate route.
  void add(http::Verb verb, const std::string& path, Policy policy, RouteHandler handler);
  const std::vector<DeclaredRoute>& declared() const { return declared_; }

 private:
  http::Router& router_;
  const Authenticator& auth_;
  store::IdempotencyStore& keys_;
  RateLimitGuard& guard_;
  std::vector<DeclaredRoute> declared_;
};

}  // namespace b2w::api
