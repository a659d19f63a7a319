#include "api/users.hpp"

#include "api/auth.hpp"
#include "auth/authenticate.hpp"
#include "http/api_error.hpp"
#include "http/response.hpp"

namespace b2w::api {

void register_users(http::Router& router, const std::string& root, store::UserRepository& users,
                    const auth::TokenService& tokens) {
  router.add(http::Verb::get, root + "/users/me",
             [&users, &tokens](http::RequestContext& ctx) -> http::Awaitable<http::Response> {
               const auto claims = auth::require_user(ctx, tokens);
               auto user = co_await users.find_by_id(claims.sub);
               if (!user)
                 throw http::ApiError(http::Status::unauthorized, "invalid_token", "The account no longer exists")
                     .header(http::Field::www_authenticate, "Bearer error=\"invalid_token\"");
               auto res = http::json_response(http::Status::ok, user_json(*user));
               res.set(http::Field::cache_control, "no-store");
               co_return res;
             });
}

}  // namespace b2w::api
