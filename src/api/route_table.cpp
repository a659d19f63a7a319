#include "api/route_table.hpp"

#include <stdexcept>

#include "api/idempotency.hpp"

namespace b2w::api {

boost::json::object Call::body() const {
  auto value = ctx.json_body();  // an object, or 400 invalid_json
  return std::move(value.as_object());
}

namespace {

http::Awaitable<security::Claims> caller(const Authenticator& authenticator, Policy policy,
                                         const http::RequestContext& ctx) {
  const Auth auth = policy.auth;
  // co_await results go into a variable first (the GCC 12 coroutine rule in docs/architecture.md).
  security::Claims claims;
  if (auth == Auth::token) {
    claims = authenticator.user(ctx);
  } else if (auth == Auth::account || (auth == Auth::optional && !bearer_token(ctx).empty())) {
    claims = co_await authenticator.current_user(ctx);
  } else if (auth == Auth::admin) {
    claims = co_await authenticator.staff(ctx, policy.roles);
  }
  co_return claims;
}

// A route that authenticates its caller or takes an Idempotency-Key: the caller and the key first.
http::Awaitable<http::Response> serve(const Authenticator& auth, store::IdempotencyStore& keys, const Policy& policy,
                                      const RouteHandler& handler, http::RequestContext& ctx) {
  Call call{ctx, {}, {}};
  if (policy.auth != Auth::none) call.user = co_await caller(auth, policy, ctx);
  if (policy.idempotency != Idempotency::none) call.idempotency_key = idempotency_key(ctx);
  if (policy.idempotency == Idempotency::replayed) {
    const std::function<http::Awaitable<http::Response>()> once = [&handler, &call] { return handler(call); };
    auto res = co_await idempotent(keys, ctx, call.user.sub, once);
    co_return res;
  }
  auto res = co_await handler(std::move(call));
  co_return res;
}

}  // namespace

void RouteTable::add(http::Verb verb, const std::string& path, Policy policy, RouteHandler handler) {
  if (policy.idempotency != Idempotency::none && (policy.auth == Auth::none || policy.auth == Auth::optional))
    throw std::invalid_argument("route " + path + ": an idempotent route needs an authenticated caller");
  if (!policy.roles.empty() && policy.auth != Auth::admin)
    throw std::invalid_argument("route " + path + ": roles are for admin routes");
  if (policy.rate == RateLimit::exempt) guard_.exempt(path);
  declared_.push_back({verb, path, policy});
  // The lambda lives in the router as long as the server (the table does not): the coroutine may refer
  // to its captures, never to the table.
  const http::RouteOptions options{.no_store = policy.cache == Cache::no_store};
  if (policy.auth == Auth::none && policy.idempotency == Idempotency::none) {
    // Nothing to do before the handler: no coroutine of our own (the health-check is the hottest route).
    router_.add(
        verb, path,
        [handler = std::move(handler)](http::RequestContext& ctx) {
          Call call{ctx, {}, {}};
          return handler(std::move(call));
        },
        options);
    return;
  }
  router_.add(
      verb, path,
      [&auth = auth_, &keys = keys_, policy, handler = std::move(handler)](http::RequestContext& ctx) {
        return serve(auth, keys, policy, handler, ctx);
      },
      options);
}

}  // namespace b2w::api
