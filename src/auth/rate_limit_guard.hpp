#pragma once
#include <string>

#include "auth/tokens.hpp"
#include "http/pipeline.hpp"
#include "security/rate_limiter.hpp"

namespace b2w::auth {

// Every request but the health-check counts against its client IP and, with a
// valid access token, its user: `points` per `window`, shared by all tasks
// through the KV store. Over the limit: 429 rate_limited with Retry-After and
// RateLimit-* headers. With the KV store down it fails open (documented).
class RateLimitGuard final : public http::RequestGuard {
 public:
  RateLimitGuard(security::RateLimiter& limiter, const TokenService& tokens, std::string health_path, int points,
                 std::chrono::seconds window)
      : limiter_(limiter), tokens_(tokens), health_path_(std::move(health_path)), points_(points), window_(window) {}

  http::Awaitable<std::vector<std::pair<std::string, std::string>>> admit(http::RequestContext& ctx) const override;

 private:
  security::RateLimiter& limiter_;
  const TokenService& tokens_;
  std::string health_path_;
  int points_;
  std::chrono::seconds window_;
};

}  // namespace b2w::auth
