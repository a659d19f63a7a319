#include "api/authenticate.hpp"

#include <gtest/gtest.h>

#include "api/rate_limit_guard.hpp"
#include "app/blocking.hpp"
#include "http/api_error.hpp"
#include "kv/memory_store.hpp"
#include "store/db/migrations.hpp"
#include "store/db/sqlite_database.hpp"

using namespace b2w;

namespace {

struct Fixture {
  kv::MemoryStore kv;
  auth::TokenService tokens{kv, std::string(40, 'a'), std::string(40, 'b'), std::chrono::hours(1),
                            std::chrono::hours(2)};
  http::Request request{http::Verb::get, "/", 11};
  http::RequestContext ctx{request, "/", "", {}, "rid", "127.0.0.1"};

  void bearer(const std::string& role, const std::string& user = "usr_1", std::int64_t version = 0) {
    request.set(http::Field::authorization,
                "Bearer " + tokens.pair_for(user, role, version, "fam", "jti").access_token);
  }
};

// The outcome of f: "ok", or the error's status and code.
std::string outcome_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const http::ApiError& e) {
    return std::to_string(static_cast<int>(e.status())) + " " + e.code();
  }
  return "ok";
}

http::Status status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const http::ApiError& e) {
    return e.status();
  }
  return http::Status::ok;
}

// The database side of the checks on money and admin routes.
struct Accounts {
  store::SqliteDatabase db{":memory:"};
  store::UserRepository users{db};
  Accounts() { app::run_blocking(store::migrate(db)); }
  std::string create(const std::string& email, const std::string& role) {
    return app::run_blocking(users.create(email, "$argon2id$fake", std::nullopt, std::nullopt, role)).id;
  }
};

}  // namespace

TEST(Authenticate, AdminRoutesTakeTheRoleFromTheDatabase) {
  Fixture f;
  Accounts a;
  const api::Authenticator authn(f.tokens, a.users);
  const auto user = a.create("user@example.ng", "user");
  const auto boss = a.create("boss@example.ng", "superadmin");
  const domain::Roles trading{domain::Role::trader};
  auto staff_check = [&] { app::run_blocking(authn.staff(f.ctx, trading)); };
  f.bearer("user", user);
  EXPECT_EQ(outcome_of([&] { api::require_user(f.ctx, f.tokens); }), "ok");
  EXPECT_EQ(outcome_of(staff_check), "403 forbidden");
  f.bearer("superadmin", user);  // a token claiming superadmin for a user the database knows as a user
  EXPECT_EQ(outcome_of(staff_check), "403 forbidden");
  f.bearer("superadmin", boss);
  EXPECT_EQ(outcome_of(staff_check), "ok");
  EXPECT_EQ(app::run_blocking(authn.current_user(f.ctx)).role, "superadmin");
}

TEST(Authenticate, StaffAreAdmittedWhereTheirRoleIsListed) {
  Fixture f;
  Accounts a;
  const api::Authenticator authn(f.tokens, a.users);
  const auto trader = a.create("trader@example.ng", "trader");
  const auto finance = a.create("finance@example.ng", "finance");
  const auto support = a.create("support@example.ng", "support");
  auto check = [&](const std::string& id, domain::Roles admitted) {
    f.bearer("user", id);  // the token's claim does not matter: the database's role does
    return outcome_of([&] { app::run_blocking(authn.staff(f.ctx, admitted)); });
  };
  using R = domain::Role;
  EXPECT_EQ(check(trader, {R::trader}), "ok");
  EXPECT_EQ(check(trader, {R::finance}), "403 forbidden");
  EXPECT_EQ(check(finance, {R::finance}), "ok");
  EXPECT_EQ(check(finance, {R::trader, R::support}), "403 forbidden");
  EXPECT_EQ(check(support, {R::trader, R::support}), "ok");
  EXPECT_EQ(check(support, {}), "403 forbidden") << "no roles listed: superadmin only";
}

TEST(Authenticate, UnknownUsersAndRevokedTokensAre401) {
  Fixture f;
  Accounts a;
  const api::Authenticator authn(f.tokens, a.users);
  auto current = [&] { app::run_blocking(authn.current_user(f.ctx)); };
  f.bearer("user", "usr_never_existed");
  EXPECT_EQ(outcome_of(current), "401 invalid_token");
  EXPECT_EQ(outcome_of([&] { api::require_user(f.ctx, f.tokens); }), "ok") << "the token alone is validly signed";

  const auto user = a.create("rev@example.ng", "user");
  f.bearer("user", user, 0);
  EXPECT_EQ(outcome_of(current), "ok");
  ASSERT_TRUE(app::run_blocking(a.users.revoke_tokens(user)));
  EXPECT_EQ(outcome_of(current), "401 token_revoked");
  f.bearer("user", user, 1);
  EXPECT_EQ(outcome_of(current), "ok");
  // A role change revokes as well: the old token stops at once.
  f.bearer("trader", user, 1);
  ASSERT_TRUE(app::run_blocking(a.users.set_role(user, "trader")));
  EXPECT_EQ(outcome_of([&] { app::run_blocking(authn.staff(f.ctx, {domain::Role::trader})); }), "401 token_revoked");
}

TEST(Authenticate, MissingOrMalformedCredentialsAre401) {
  Fixture f;
  EXPECT_EQ(status_of([&] { api::require_user(f.ctx, f.tokens); }), http::Status::unauthorized);
  f.request.set(http::Field::authorization, "Bearer");
  EXPECT_EQ(status_of([&] { api::require_user(f.ctx, f.tokens); }), http::Status::unauthorized);
  f.request.set(http::Field::authorization, "bearer x.y.z");
  EXPECT_EQ(status_of([&] { api::require_user(f.ctx, f.tokens); }), http::Status::unauthorized);
}

// The rate-limit guard verifies the token once and leaves its claims for the handler; a token the
// guard refused leaves nothing, and the handler still answers 401.
TEST(Authenticate, TheGuardsVerifiedClaimsAreReused) {
  Fixture f;
  auth::RateLimiter limiter(f.kv);
  api::RateLimitGuard guard(limiter, f.tokens, 100, std::chrono::seconds(60));
  guard.exempt("/health");
  f.bearer("admin");
  app::run_blocking(guard.admit(f.ctx));
  ASSERT_TRUE(f.ctx.verified_token.has_value());
  EXPECT_EQ(f.ctx.verified_token->sub, "usr_1");
  EXPECT_EQ(api::require_user(f.ctx, f.tokens).sub, "usr_1");

  Fixture g;
  g.request.set(http::Field::authorization,
                "Bearer " + f.tokens.pair_for("usr_1", "admin", 0, "fam", "jti").refresh_token);
  app::run_blocking(guard.admit(g.ctx));  // counted per IP only
  EXPECT_FALSE(g.ctx.verified_token.has_value());
  EXPECT_EQ(status_of([&] { api::require_user(g.ctx, g.tokens); }), http::Status::unauthorized);
}
