#include "api/rate_limit_guard.hpp"

#include "api/authenticate.hpp"
#include "http/api_error.hpp"
#include "observability/log.hpp"
#include "util/unavailable.hpp"

namespace b2w::api {

bool RateLimitGuard::covers(std::string_view path) const {
  for (const auto& exempt : exempt_)
    if (path == exempt) return false;
  return true;
}

http::Awaitable<std::vector<std::pair<std::string, std::string>>> RateLimitGuard::admit(
    http::RequestContext& ctx) const {
  std::vector<std::pair<std::string, std::string>> headers;

  // The client IP always counts; a valid access token adds its user; one round trip for both.
  std::vector<std::string> keys{"rl:ip:" + ctx.client_ip};
  if (const auto token = bearer_token(ctx); !token.empty()) {
    auto verified = tokens_.verify_access(token);
    if (auto* claims = std::get_if<security::Claims>(&verified)) {
      keys.push_back("rl:user:" + claims->sub);
      ctx.verified_token = std::move(*claims);  // authentication need not verify it again
    }
  }
  auth::RateDecision tightest;
  bool counted = false;
  try {
    const auto decisions = co_await limiter_.hit_each(std::move(keys), points_, window_);
    tightest = decisions.front();
    for (const auto& d : decisions)
      if (!d.allowed || (tightest.allowed && d.remaining < tightest.remaining)) tightest = d;
    counted = true;
  } catch (const ServiceUnavailable&) {
    // Fail open: an outage of the cache must not take the API down with it.
    log::warn("rate limiter unavailable: request admitted").str("request_id", ctx.request_id);
  }
  if (!counted) co_return headers;
  headers = {{"RateLimit-Limit", std::to_string(tightest.limit)},
             {"RateLimit-Remaining", std::to_string(tightest.remaining)},
             {"RateLimit-Reset", std::to_string(tightest.reset_seconds)}};
  if (!tightest.allowed) {
    http::ApiError e(http::Status::too_many_requests, "rate_limited", "Too many requests; slow down");
    e.header(http::Field::retry_after, std::to_string(tightest.reset_seconds));
    for (const auto& [name, value] : headers) e.header(name, value);
    throw e;
  }
  co_return headers;
}

}  // namespace b2w::api
