#include "api/auth.hpp"

#include "api/json_input.hpp"
#include "http/response.hpp"
#include "util/time.hpp"

namespace b2w::api {

using http::Awaitable;
using http::RequestContext;
using http::Response;
using http::Status;

boost::json::object user_json(const store::UserRecord& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"full_name", u.full_name ? boost::json::value(*u.full_name) : boost::json::value(nullptr)},
          {"phone", u.phone ? boost::json::value(*u.phone) : boost::json::value(nullptr)},
          {"role", u.role},
          {"created_at", rfc3339(u.created_at)}};
}

namespace {

Response session_response(Status status, const auth::Session& s) {
  auto res = http::json_response(status, boost::json::object{{"user", user_json(s.user)},
                                                             {"access_token", s.tokens.access_token},
                                                             {"refresh_token", s.tokens.refresh_token},
                                                             {"token_type", "Bearer"},
                                                             {"expires_in", s.tokens.expires_in}});
  res.set(http::Field::cache_control, "no-store");
  return res;
}

std::string required_refresh_token(const RequestContext& ctx) {
  const auto body = ctx.json_body();
  Validation v;
  auto token = v.string(body.as_object(), "refresh_token", true);
  v.check();
  return *token;
}

}  // namespace

void register_auth(http::Router& router, const std::string& root, auth::AccountService& accounts,
                   const api::Authenticator& authn) {
  router.add(http::Verb::post, root + "/auth/register", [&accounts](RequestContext& ctx) -> Awaitable<Response> {
    const auto body = ctx.json_body();
    const auto& o = body.as_object();
    Validation v;
    auth::Registration input;
    input.email = v.string(o, "email", true).value_or("");
    input.password = v.string(o, "password", true).value_or("");
    input.full_name = v.string(o, "full_name", false);
    input.phone = v.string(o, "phone", false);
    v.check();
    co_return session_response(Status::created, co_await accounts.register_user(std::move(input), ctx.client_ip));
  });

  router.add(http::Verb::post, root + "/auth/login", [&accounts](RequestContext& ctx) -> Awaitable<Response> {
    const auto body = ctx.json_body();
    Validation v;
    auto email = v.string(body.as_object(), "email", true);
    auto password = v.string(body.as_object(), "password", true);
    v.check();
    co_return session_response(Status::ok, co_await accounts.login(std::move(*email), std::move(*password), ctx.client_ip));
  });

  router.add(http::Verb::post, root + "/auth/refresh", [&accounts](RequestContext& ctx) -> Awaitable<Response> {
    co_return session_response(Status::ok, co_await accounts.refresh(required_refresh_token(ctx)));
  });

  router.add(http::Verb::post, root + "/auth/logout", [&accounts](RequestContext& ctx) -> Awaitable<Response> {
    co_await accounts.logout(required_refresh_token(ctx));
    Response res{Status::no_content, 11};
    co_return res;
  });

  // Every session of the caller ends: access tokens stop on money and admin routes at once, and no
  // refresh token issued so far rotates again.
  router.add(http::Verb::post, root + "/auth/logout-all", [&accounts, &authn](RequestContext& ctx) -> Awaitable<Response> {
    const auto claims = co_await authn.current_user(ctx);
    co_await accounts.logout_all(claims.sub);
    Response res{Status::no_content, 11};
    co_return res;
  });
}

}  // namespace b2w::api
