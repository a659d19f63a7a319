#include "api/users.hpp"

#include <boost/json/serialize.hpp>
#include <chrono>
#include <unordered_map>

#include "api/auth.hpp"
#include "api/authenticate.hpp"
#include "http/api_error.hpp"
#include "http/response.hpp"

namespace b2w::api {
namespace {

// /users/me is read on every app start and screen: a one-second per-thread cache of the
// rendered user spares the database most of that traffic (a change shows within a second).
struct CachedUser {
  std::string json;
  std::chrono::steady_clock::time_point expires;
};
constexpr std::chrono::seconds kUserCacheTtl{1};
constexpr std::size_t kUserCacheMax = 10000;

}  // namespace

void register_users(http::Router& router, const std::string& root, store::UserRepository& users,
                    const auth::TokenService& tokens) {
  router.add(http::Verb::get, root + "/users/me",
             [&users, &tokens](http::RequestContext& ctx) -> http::Awaitable<http::Response> {
               const auto claims = api::require_user(ctx, tokens);
               thread_local std::unordered_map<std::string, CachedUser> cache;
               const auto now = std::chrono::steady_clock::now();
               auto hit = cache.find(claims.sub);
               if (hit == cache.end() || hit->second.expires < now) {
                 auto user = co_await users.find_by_id(claims.sub);
                 if (!user)
                   throw http::ApiError(http::Status::unauthorized, "invalid_token", "The account no longer exists")
                       .header(http::Field::www_authenticate, "Bearer error=\"invalid_token\"");
                 if (cache.size() >= kUserCacheMax) cache.clear();
                 hit = cache.insert_or_assign(claims.sub, CachedUser{boost::json::serialize(user_json(*user)),
                                                                     now + kUserCacheTtl})
                           .first;
               }
               auto res = http::raw_json_response(http::Status::ok, hit->second.json);
               res.set(http::Field::cache_control, "no-store");
               co_return res;
             });
}

}  // namespace b2w::api
