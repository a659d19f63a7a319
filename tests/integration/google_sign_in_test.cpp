// Google sign-in through the real binary against a fake of Google's JWKS endpoint (tests/support/fake_jwks.py:
// keys generated at start, tokens signed with PyJWT): sign-up, sign-in, linking by verified email, every kind
// of bad token, the key cache (unknown kids, rotation, max-age), Google down, and sign-in not configured.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "money_server.hpp"
#include "python_fake.hpp"

using namespace b2w::test;
using boost::json::object;

namespace {

const std::string kClientId = "123-test.apps.googleusercontent.com";
const std::string kGoogle = "/api/v1/auth/google";

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct GoogleServer {
  explicit GoogleServer(Env extra = {})
      : jwks("fake_jwks.py", {kClientId}), money(with_defaults(std::move(extra), jwks)) {}

  // `extra` over the defaults below.
  static Env with_defaults(Env extra, const PythonFake& jwks) {
    extra.try_emplace("GOOGLE_OAUTH_CLIENT_ID", kClientId);
    extra.try_emplace("GOOGLE_JWKS_URL", jwks.base_url() + "/oauth2/v3/certs");
    extra.try_emplace("GOOGLE_TIMEOUT", "10s");
    return extra;
  }

  // A token from the fake: `request` is {claims, kid, alg, key, tamper} as fake_jwks.py documents.
  std::string token(const object& request = {}) {
    return std::string(
        boost::json::parse(jwks.call("/_token", boost::json::serialize(request))).at("token").as_string());
  }
  std::string token_for(const std::string& sub, const std::string& email) {
    return token({{"claims", object{{"sub", sub}, {"email", email}}}});
  }
  std::optional<HttpResponse> sign_in(const std::string& id_token) {
    return money.post(kGoogle, {{"id_token", id_token}}, "", "");
  }
  std::int64_t fetches() { return boost::json::parse(jwks.read("/_fetches")).at("fetches").as_int64(); }
  void mode(const std::string& mode) { jwks.control("/_mode", boost::json::serialize(object{{"mode", mode}})); }

  PythonFake jwks;
  Money money;
};

std::string user_id_of(const HttpResponse& r) {
  return std::string(json_of(r)["user"].as_object()["id"].as_string());
}

void expect_refused(GoogleServer& s, const std::string& id_token, const std::string& what) {
  auto r = s.sign_in(id_token);
  ASSERT_TRUE(r) << what;
  EXPECT_EQ(r->status, 401) << what << ": " << r->body;
  EXPECT_EQ(code_of(*r), "invalid_google_token") << what;
  EXPECT_EQ(r->body.find(id_token), std::string::npos) << what;
}

TEST(GoogleSignIn, NewUserSignsUpThenSignsInToTheSameAccount) {
  GoogleServer s;
  auto first = s.sign_in(s.token_for("sub-new-1", "New.Person@Example.com"));
  ASSERT_TRUE(first && first->status == 201) << (first ? first->body : "");
  auto body = json_of(*first);
  EXPECT_EQ(body["token_type"].as_string(), "Bearer");
  EXPECT_FALSE(body["refresh_token"].as_string().empty());
  EXPECT_EQ(body["user"].as_object()["email"].as_string(), "new.person@example.com");
  EXPECT_EQ(body["user"].as_object()["full_name"].as_string(), "Ada Lovelace");
  EXPECT_TRUE(body["user"].as_object()["email_verified"].as_bool()) << "Google verified the address";
  EXPECT_EQ(first->header("cache-control"), "no-store");

  auto me = s.money.get_auth("/api/v1/users/me", std::string(body["access_token"].as_string()));
  ASSERT_TRUE(me && me->status == 200) << (me ? me->body : "");
  EXPECT_EQ(json_of(*me)["id"].as_string(), user_id_of(*first));
  EXPECT_EQ(boost::json::serialize(json_of(*me)["sign_in_methods"]), R"(["google"])");
  auto refreshed = s.money.post("/api/v1/auth/refresh", {{"refresh_token", body["refresh_token"]}}, "", "");
  ASSERT_TRUE(refreshed && refreshed->status == 200) << (refreshed ? refreshed->body : "");

  auto again = s.sign_in(s.token_for("sub-new-1", "new.person@example.com"));
  ASSERT_TRUE(again && again->status == 200) << (again ? again->body : "");
  EXPECT_EQ(user_id_of(*again), user_id_of(*first));
  // The Google account stays linked to its account when its email changes at Google.
  auto renamed = s.sign_in(s.token_for("sub-new-1", "renamed@example.com"));
  ASSERT_TRUE(renamed && renamed->status == 200) << (renamed ? renamed->body : "");
  EXPECT_EQ(user_id_of(*renamed), user_id_of(*first));
}

TEST(GoogleSignIn, PasswordAccountWithTheVerifiedEmailIsLinkedAndKeepsItsPassword) {
  GoogleServer s;
  auto registered =
      s.money.post("/api/v1/auth/register", {{"email", "ada.obi@example.ng"}, {"password", "money-pass-1"}}, "", "");
  ASSERT_TRUE(registered && registered->status == 201);
  auto google = s.sign_in(s.token_for("sub-ada", "Ada.Obi@EXAMPLE.ng"));
  ASSERT_TRUE(google && google->status == 200) << (google ? google->body : "");
  EXPECT_EQ(user_id_of(*google), user_id_of(*registered));
  EXPECT_FALSE(json_of(*registered)["user"].as_object()["email_verified"].as_bool());
  EXPECT_TRUE(json_of(*google)["user"].as_object()["email_verified"].as_bool()) << "Google verified the address";
  auto login =
      s.money.post("/api/v1/auth/login", {{"email", "ada.obi@example.ng"}, {"password", "money-pass-1"}}, "", "");
  ASSERT_TRUE(login && login->status == 200) << (login ? login->body : "");
  EXPECT_EQ(user_id_of(*login), user_id_of(*registered));
  auto me = s.money.get_auth("/api/v1/users/me", std::string(json_of(*login)["access_token"].as_string()));
  ASSERT_TRUE(me && me->status == 200);
  EXPECT_EQ(boost::json::serialize(json_of(*me)["sign_in_methods"]), R"(["password","google"])");
  // Linked by sub from now on: the next sign-in needs no email match.
  auto again = s.sign_in(s.token_for("sub-ada", "other@example.ng"));
  ASSERT_TRUE(again && again->status == 200);
  EXPECT_EQ(user_id_of(*again), user_id_of(*registered));
}

TEST(GoogleSignIn, AnAccountMadeByGoogleHasNoPassword) {
  GoogleServer s;
  auto made = s.sign_in(s.token_for("sub-nopass", "nopass@example.com"));
  ASSERT_TRUE(made && made->status == 201);
  for (const std::string password :
       {"", "money-pass-1", "!no-password", "no-password", "decoy password that never matches anything"}) {
    auto login = s.money.post("/api/v1/auth/login", {{"email", "nopass@example.com"}, {"password", password}}, "", "");
    ASSERT_TRUE(login) << password;
    EXPECT_EQ(login->status, 401) << password << ": " << login->body;
    EXPECT_EQ(code_of(*login), "invalid_credentials");
  }
  // Registering the address with a password is refused as for any taken email.
  auto taken =
      s.money.post("/api/v1/auth/register", {{"email", "nopass@example.com"}, {"password", "money-pass-1"}}, "", "");
  EXPECT_EQ(taken->status, 409);
}

TEST(GoogleSignIn, OnlyTheTokenDecidesTheAccount) {
  GoogleServer s;
  const auto victim =
      s.money.post("/api/v1/auth/register", {{"email", "victim@example.com"}, {"password", "money-pass-1"}}, "", "");
  ASSERT_EQ(victim->status, 201);
  auto r = s.money.post(kGoogle,
                        {{"id_token", s.token_for("sub-mallory", "mallory@example.com")},
                         {"user_id", user_id_of(*victim)},
                         {"email", "victim@example.com"}},
                        "", "");
  ASSERT_TRUE(r && r->status == 201) << (r ? r->body : "");
  EXPECT_NE(user_id_of(*r), user_id_of(*victim));
  EXPECT_EQ(json_of(*r)["user"].as_object()["email"].as_string(), "mallory@example.com");

  auto missing = s.money.post(kGoogle, object{}, "", "");
  EXPECT_EQ(missing->status, 422);
}

TEST(GoogleSignIn, RefusesEveryTokenThatIsNotGooglesForUs) {
  GoogleServer s;
  ASSERT_EQ(s.sign_in(s.token())->status, 201);  // the keys are cached, and the fake mints good tokens
  const auto now = now_seconds();
  expect_refused(s, s.token({{"claims", object{{"aud", "someone-else.apps.googleusercontent.com"}}}}), "wrong aud");
  expect_refused(s, s.token({{"claims", object{{"iss", "https://evil.example.com"}}}}), "wrong iss");
  expect_refused(s, s.token({{"claims", object{{"iat", now - 7200}, {"exp", now - 3600}}}}), "expired");
  expect_refused(s, s.token({{"tamper", true}}), "tampered payload");
  expect_refused(s, s.token({{"alg", "HS256"}}), "HS256 keyed with the public key");
  expect_refused(s, s.token({{"alg", "none"}}), "alg none");
  expect_refused(s, s.token({{"claims", object{{"email_verified", false}}}}), "email not verified");
  expect_refused(s, s.token({{"claims", object{{"email", nullptr}}}}), "no email");
  expect_refused(s, s.token({{"key", "unpublished"}}), "unknown kid");
  expect_refused(s, "not.a.token", "garbage");
  // The refusals' reasons are in the log, the tokens are not.
  EXPECT_TRUE(s.money.server().wait_for_log("\"reason\":\"wrong_audience\"", 10s));
  EXPECT_TRUE(s.money.server().wait_for_log("\"reason\":\"wrong_algorithm\"", 10s));
  EXPECT_EQ(s.money.server().stdout_text().find("eyJ"), std::string::npos);
}

TEST(GoogleSignIn, UnknownKidsRefetchTheKeysAtMostOncePerMinute) {
  GoogleServer s;
  ASSERT_EQ(s.sign_in(s.token())->status, 201);
  const auto before = s.fetches();
  EXPECT_EQ(before, 1);
  for (int i = 0; i < 12; ++i) expect_refused(s, s.token({{"key", "unpublished"}}), "unknown kid");
  EXPECT_LE(s.fetches(), before + 1);
}

TEST(GoogleSignIn, ARotatedKeyIsAcceptedAfterTheRefetch) {
  GoogleServer s;
  ASSERT_EQ(s.sign_in(s.token_for("sub-rot", "rot@example.com"))->status, 201);
  EXPECT_EQ(s.fetches(), 1);
  s.jwks.control("/_rotate", R"({"drop_old": true})");
  auto r = s.sign_in(s.token_for("sub-rot", "rot@example.com"));
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "");
  EXPECT_EQ(s.fetches(), 2);
}

TEST(GoogleSignIn, KeysAreFetchedAgainWhenTheirMaxAgeRunsOut) {
  GoogleServer s;
  s.jwks.control("/_cache", R"({"max_age": 1})");
  ASSERT_EQ(s.sign_in(s.token_for("sub-age", "age@example.com"))->status, 201);
  ASSERT_EQ(s.sign_in(s.token_for("sub-age", "age@example.com"))->status, 200);
  EXPECT_EQ(s.fetches(), 1);  // fresh for a second
  std::this_thread::sleep_for(1500ms);
  // Stale: still used for this sign-in while one background fetch replaces it.
  ASSERT_EQ(s.sign_in(s.token_for("sub-age", "age@example.com"))->status, 200);
  for (int i = 0; i < 200 && s.fetches() < 2; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(s.fetches(), 2);
}

TEST(GoogleSignIn, GoogleDownBeforeAnyKeyIs503WithinTheTimeout) {
  GoogleServer s(Env{{"GOOGLE_TIMEOUT", "1s"}});
  s.mode("hang");
  const auto start = std::chrono::steady_clock::now();
  auto r = s.sign_in(s.token());
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503) << r->body;
  EXPECT_EQ(code_of(*r), "google_unavailable");
  EXPECT_GE(took, 900ms);
  EXPECT_LT(took, 5s);  // GOOGLE_TIMEOUT, with room for a loaded machine

  s.mode("error");
  auto refused = s.sign_in(s.token());
  for (int i = 0; i < 50 && refused && refused->status == 503 && s.fetches() < 2; ++i) refused = s.sign_in(s.token());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);

  // Back up: the next sign-in fetches the keys and succeeds.
  s.mode("up");
  std::optional<HttpResponse> ok;
  for (int i = 0; i < 100; ++i) {
    ok = s.sign_in(s.token());
    if (ok && ok->status != 503) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(ok && ok->status == 201) << (ok ? ok->body : "");
}

TEST(GoogleSignIn, AFailedRefetchKeepsTheLastGoodKeys) {
  GoogleServer s;
  s.jwks.control("/_cache", R"({"max_age": 1})");
  ASSERT_EQ(s.sign_in(s.token_for("sub-keep", "keep@example.com"))->status, 201);
  s.mode("error");
  std::this_thread::sleep_for(1500ms);
  for (int i = 0; i < 5; ++i) {
    auto r = s.sign_in(s.token_for("sub-keep", "keep@example.com"));
    ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "");
  }
  // One failed background fetch, then a pause before the next try.
  EXPECT_LE(s.fetches(), 2);
}

TEST(GoogleSignIn, WithoutAClientIdItIsUnavailable) {
  GoogleServer s(Env{{"GOOGLE_OAUTH_CLIENT_ID", ""}});
  auto r = s.sign_in(s.token());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(code_of(*r), "google_unavailable");
  EXPECT_EQ(s.fetches(), 0);
}

TEST(GoogleSignIn, AccountCreationCountsAgainstTheRegistrationLimit) {
  GoogleServer s(Env{{"REGISTER_MAX_PER_IP", "2"}});
  ASSERT_EQ(s.sign_in(s.token_for("sub-l1", "l1@example.com"))->status, 201);
  ASSERT_EQ(s.sign_in(s.token_for("sub-l2", "l2@example.com"))->status, 201);
  auto third = s.sign_in(s.token_for("sub-l3", "l3@example.com"));
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, 429) << third->body;
  EXPECT_FALSE(third->header("retry-after").empty());
  // Signing in to an existing account creates nothing and is not limited by it.
  EXPECT_EQ(s.sign_in(s.token_for("sub-l1", "l1@example.com"))->status, 200);
}

TEST(GoogleSignIn, ConcurrentFirstSignInsMakeOneAccount) {
  GoogleServer s;
  const auto id_token = s.token_for("sub-race", "race@example.com");
  constexpr int kCallers = 8;
  std::vector<std::optional<HttpResponse>> answers(kCallers);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) callers.emplace_back([&, i] { answers[i] = s.sign_in(id_token); });
  for (auto& t : callers) t.join();
  std::set<std::string> users;
  int created = 0;
  for (const auto& a : answers) {
    ASSERT_TRUE(a && (a->status == 200 || a->status == 201)) << (a ? a->body : "");
    created += a->status == 201;
    users.insert(user_id_of(*a));
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(users.size(), 1u);
  EXPECT_EQ(s.fetches(), 1);  // one fetch in flight, the others waited for it
}

}  // namespace
