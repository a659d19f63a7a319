// Revocable access: logout of every session, a reused refresh token, a role change and a user that does not
// exist, on the routes that move money or administer (they check the token against the database).
#include <gtest/gtest.h>

#include "money_server.hpp"
#include "security/jwt.hpp"
#include "util/ids.hpp"

using namespace b2w::test;

namespace {

const std::string kJwtSecret = "payments-jwt-secret-0123456789abcdefgh";  // Money's JWT_SECRET

std::string field(const HttpResponse& r, const char* name) {
  return std::string(json_of(r)[name].as_string());
}

// A validly signed access token for any subject, as a holder of the key could make it.
std::string forged_access(const std::string& sub, const std::string& role) {
  b2w::security::JwtSigner signer(kJwtSecret, b2w::security::TokenKind::access);
  const auto now = b2w::security::unix_now();
  return signer.sign({sub, role, b2w::random_hex(8), "", now, now + 600, b2w::security::TokenKind::access});
}

// Every route that checks the caller against the database, with a body each would accept.
struct Route {
  std::string method, path;
  object body;
};
std::vector<Route> money_routes() {
  return {{"POST", "/api/v1/bets", {{"stake", 10000}, {"legs", boost::json::array{}}}},
          {"POST", "/api/v1/wallet/deposits", {{"amount", 10000}}},
          {"POST", "/api/v1/wallet/withdrawals", {{"amount", 10000}, {"payout_account_id", "pa_any"}}}};
}
std::vector<Route> admin_routes() {
  return {{"GET", "/api/v1/admin/withdrawals", {}},
          {"POST", "/api/v1/admin/withdrawals/pay_x/approve", {}},
          {"POST", "/api/v1/admin/withdrawals/pay_x/reject", {}},
          {"POST", "/api/v1/admin/events", {}},
          {"PATCH", "/api/v1/admin/events/evt_x", {}},
          {"POST", "/api/v1/admin/events/evt_x/markets", {}},
          {"PATCH", "/api/v1/admin/markets/mkt_x", {}},
          {"POST", "/api/v1/admin/markets/mkt_x/settle", {{"void", true}}}};
}

// Every route in `routes` answers 401 with `code` for `token`.
void expect_refused(Money& m, const std::vector<Route>& routes, const std::string& token, const std::string& code) {
  int n = 0;
  for (const auto& r : routes) {
    auto res = r.method == "GET" ? m.get_auth(r.path, token)
                                 : m.call(r.method, r.path, r.body, token, "key-" + std::to_string(++n));
    ASSERT_TRUE(res) << r.method << " " << r.path;
    EXPECT_EQ(res->status, 401) << r.method << " " << r.path << ": " << res->body;
    if (res->status == 401) {
      EXPECT_EQ(code_of(*res), code) << r.method << " " << r.path;
    }
  }
}

}  // namespace

TEST(Revocation, LogoutAllEndsEveryTokenOnMoneyAndAdminRoutes) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  auto reg = m.post("/api/v1/auth/register",
                    {{"email", "leaver@example.ng"}, {"password", "leaver-pass-123"}, {"date_of_birth", "1990-06-15"}},
                    "", "");
  ASSERT_EQ(reg->status, 201);
  const auto access = field(*reg, "access_token"), refresh = field(*reg, "refresh_token");
  auto other = m.post("/api/v1/auth/login", {{"email", "leaver@example.ng"}, {"password", "leaver-pass-123"}}, "", "");
  const auto other_access = field(*other, "access_token"), other_refresh = field(*other, "refresh_token");
  ASSERT_EQ(m.post("/api/v1/wallet/deposits", {{"amount", 10000}}, access, "before")->status, 201);

  auto out = m.post("/api/v1/auth/logout-all", {}, other_access, "");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 204) << out->body;
  expect_refused(m, money_routes(), access, "token_revoked");
  expect_refused(m, money_routes(), other_access, "token_revoked");
  for (const auto& r : {refresh, other_refresh}) {
    auto rotated = m.post("/api/v1/auth/refresh", {{"refresh_token", r}}, "", "");
    EXPECT_EQ(rotated->status, 401) << "no refresh token issued before logout-all rotates";
    EXPECT_EQ(code_of(*rotated), "token_revoked");
  }
  EXPECT_EQ(m.post("/api/v1/auth/logout-all", {}, access, "")->status, 401);
  // Signing in again works, with tokens of the new version.
  auto again = m.post("/api/v1/auth/login", {{"email", "leaver@example.ng"}, {"password", "leaver-pass-123"}}, "", "");
  ASSERT_EQ(again->status, 200);
  EXPECT_EQ(m.post("/api/v1/wallet/deposits", {{"amount", 10000}}, field(*again, "access_token"), "after")->status,
            201);

  // An administrator's logout-all ends their admin access too.
  const auto admin = m.admin("chief@bet2wealth.co");
  EXPECT_EQ(m.get_auth("/api/v1/admin/withdrawals", admin)->status, 200);
  EXPECT_EQ(m.post("/api/v1/auth/logout-all", {}, admin, "")->status, 204);
  expect_refused(m, admin_routes(), admin, "token_revoked");
}

TEST(Revocation, ATokenForAUserThatDoesNotExistIs401Not500) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  // Validly signed (a leaked key, a user deleted from the database): never 500, never served.
  expect_refused(m, money_routes(), forged_access("usr_ghost", "user"), "invalid_token");
  expect_refused(m, admin_routes(), forged_access("usr_ghost", "admin"), "invalid_token");
  EXPECT_EQ(m.post("/api/v1/auth/logout-all", {}, forged_access("usr_ghost", "user"), "")->status, 401);
  EXPECT_EQ(m.verify_ledger(), 0);
}

TEST(Revocation, ADemotionAppliesAtOnce) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto admin = m.admin("deputy@bet2wealth.co");
  ASSERT_EQ(m.get_auth("/api/v1/admin/withdrawals", admin)->status, 200);
  auto demoted = run_binary(m.env(), {"admin", "demote", "--email", "deputy@bet2wealth.co"}, 10s);
  ASSERT_EQ(demoted.status, 0) << demoted.out << demoted.err;
  expect_refused(m, admin_routes(), admin, "token_revoked");
  // Signed in again, the account is a user: admin routes are forbidden.
  auto login =
      m.post("/api/v1/auth/login", {{"email", "deputy@bet2wealth.co"}, {"password", "admin-pass-123"}}, "", "");
  ASSERT_EQ(login->status, 200);
  EXPECT_EQ(json_of(*login)["user"].as_object()["role"].as_string(), "user");
  auto forbidden = m.get_auth("/api/v1/admin/withdrawals", field(*login, "access_token"));
  EXPECT_EQ(forbidden->status, 403);
  EXPECT_EQ(run_binary(m.env(), {"admin", "demote", "--email", "nobody@bet2wealth.co"}, 10s).status, 1);
}

TEST(Revocation, AReusedRefreshTokenEndsEverySessionOfTheAccount) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  auto first =
      m.post("/api/v1/auth/register", {{"email", "stolen@example.ng"}, {"password", "stolen-pass-123"}}, "", "");
  auto second = m.post("/api/v1/auth/login", {{"email", "stolen@example.ng"}, {"password", "stolen-pass-123"}}, "", "");
  ASSERT_EQ(second->status, 200);
  const auto old_refresh = field(*first, "refresh_token");
  ASSERT_EQ(m.post("/api/v1/auth/refresh", {{"refresh_token", old_refresh}}, "", "")->status, 200);
  auto reused = m.post("/api/v1/auth/refresh", {{"refresh_token", old_refresh}}, "", "");
  EXPECT_EQ(code_of(*reused), "token_reused");
  // The other session (another family) ends too: its access token on money routes, its refresh token.
  expect_refused(m, money_routes(), field(*second, "access_token"), "token_revoked");
  EXPECT_EQ(m.post("/api/v1/auth/refresh", {{"refresh_token", field(*second, "refresh_token")}}, "", "")->status, 401);
}
