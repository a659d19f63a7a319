#pragma once
#include <string>
#include <vector>

#include "auth/rate_limiter.hpp"
#include "auth/tokens.hpp"
#include "http/pipeline.hpp"

namespace b2w::api {

// Every request but the exempt paths (health-check, payment webhook) counts against its client IP and, with a
// valid access token, its user: `points` per `window`, shared by all tasks
// through the KV store. Over the limit: 429 rate_limited with Retry-After and
// RateLimit-* headers. With the KV store down it fails open (documented).
class RateLimitGuard final : public http::RequestGuard {
 public:
  RateLimitGuard(auth::RateLimiter& limiter, const auth::TokenService& tokens, int points, std::chrono::seconds window)
      : limiter_(limiter), tokens_(tokens), points_(points), window_(window) {}

  // A path never counted (the health-check; the signed payment webhook): the route table declares them.
  void exempt(std::string path) { exempt_.push_back(std::move(path)); }

  bool covers(std::string_view path) const override;
  http::Awaitable<std::vector<std::pair<std::string, std::string>>> admit(http::RequestContext& ctx) const override;

 private:
  auth::RateLimiter& limiter_;
  const auth::TokenService& tokens_;
  std::vector<std::string> exempt_;
  int points_;
  std::chrono::seconds window_;
};

}  // namespace b2w::api
