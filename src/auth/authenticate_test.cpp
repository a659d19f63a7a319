#include "auth/authenticate.hpp"

#include <gtest/gtest.h>

#include "app/blocking.hpp"
#include "auth/rate_limit_guard.hpp"
#include "http/api_error.hpp"
#include "kv/memory_store.hpp"

using namespace b2w;

namespace {

struct Fixture {
  kv::MemoryStore kv;
  auth::TokenService tokens{kv, std::string(40, 'a'), std::string(40, 'b'), std::chrono::hours(1), std::chrono::hours(2)};
  http::Request request{http::Verb::get, "/", 11};
  http::RequestContext ctx{request, "/", "", {}, "rid", "127.0.0.1"};

  void bearer(const std::string& role) {
    request.set(http::Field::authorization, "Bearer " + tokens.pair_for("usr_1", role, "fam", "jti").access_token);
  }
};

http::Status status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const http::ApiError& e) {
    return e.status();
  }
  return http::Status::ok;
}

}  // namespace

TEST(Authenticate, AdminRoutesForbidUsers) {
  Fixture f;
  f.bearer("user");
  EXPECT_EQ(status_of([&] { auth::require_user(f.ctx, f.tokens); }), http::Status::ok);
  EXPECT_EQ(status_of([&] { auth::require_admin(f.ctx, f.tokens); }), http::Status::forbidden);
  f.bearer("admin");
  EXPECT_EQ(status_of([&] { auth::require_admin(f.ctx, f.tokens); }), http::Status::ok);
}

TEST(Authenticate, MissingOrMalformedCredentialsAre401) {
  Fixture f;
  EXPECT_EQ(status_of([&] { auth::require_user(f.ctx, f.tokens); }), http::Status::unauthorized);
  f.request.set(http::Field::authorization, "Bearer");
  EXPECT_EQ(status_of([&] { auth::require_admin(f.ctx, f.tokens); }), http::Status::unauthorized);
  f.request.set(http::Field::authorization, "bearer x.y.z");
  EXPECT_EQ(status_of([&] { auth::require_user(f.ctx, f.tokens); }), http::Status::unauthorized);
}

// The rate-limit guard verifies the token once and leaves its claims for the handler; a token the
// guard refused leaves nothing, and the handler still answers 401.
TEST(Authenticate, TheGuardsVerifiedClaimsAreReused) {
  Fixture f;
  security::RateLimiter limiter(f.kv);
  auth::RateLimitGuard guard(limiter, f.tokens, {"/health"}, 100, std::chrono::seconds(60));
  f.bearer("admin");
  app::run_blocking(guard.admit(f.ctx));
  const auto* stored = std::any_cast<security::Claims>(&f.ctx.authenticated);
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(stored->sub, "usr_1");
  EXPECT_EQ(auth::require_admin(f.ctx, f.tokens).sub, "usr_1");

  Fixture g;
  g.request.set(http::Field::authorization, "Bearer " + f.tokens.pair_for("usr_1", "admin", "fam", "jti").refresh_token);
  app::run_blocking(guard.admit(g.ctx));  // counted per IP only
  EXPECT_FALSE(g.ctx.authenticated.has_value());
  EXPECT_EQ(status_of([&] { auth::require_user(g.ctx, g.tokens); }), http::Status::unauthorized);
}
