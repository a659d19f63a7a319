#pragma once
#include <string>

#include "auth/tokens.hpp"
#include "http/pipeline.hpp"
#include "security/rate_limiter.hpp"

namespace b2w::api {

// Every request but the exempt paths (health-check, payment webhook) counts against its client IP and, with a
// valid access token, its user: `points` per `window`, shared by all tasks
// through the KV store. Over the limit: 429 rate_limited with Retry-After and
// RateLimit-* headers. With the KV store down it fails open (documented).
class RateLimitGuard final : public http::RequestGuard {
 public:
  // `exempt`: paths never counted (the health-check; the signed payment webhook).
  RateLimitGuard(security::RateLimiter& limiter, const auth::TokenService& tokens, std::vector<std::string> exempt, int points,
                 std::chrono::seconds window)
      : limiter_(limiter), tokens_(tokens), exempt_(std::move(exempt)), points_(points), window_(window) {}

  bool covers(std::string_view path) const override;
  http::Awaitable<std::vector<std::pair<std::string, std::string>>> admit(http::RequestContext& ctx) const override;

 private:
  security::RateLimiter& limiter_;
  const auth::TokenService& tokens_;
  std::vector<std::string> exempt_;
  int points_;
  std::chrono::seconds window_;
};

}  // namespace b2w::api
