// Email verification through the real binary: registration writes the mail to the outbox with the account, the
// background sender delivers it to a real SMTP server on loopback (aiosmtpd), and the link's token verifies the
// address once.
#include <gtest/gtest.h>

#include <regex>
#include <thread>

#include "money_server.hpp"
#include "smtp_sink.hpp"

using namespace b2w::test;
using boost::json::object;

namespace {

struct Mailed {
  Mailed()
      : money(Env{{"SMTP_HOST", "127.0.0.1"},
                  {"SMTP_PORT", std::to_string(sink.port())},
                  {"SMTP_SECURITY", "plain"},
                  {"MAIL_FROM", "no-reply@bet2wealth.co"},
                  {"WEB_APP_URL", "https://app.bet2wealth.test"}}) {}

  // The n-th mail's text part.
  std::string text_of(int n) {
    const auto path = sink.wait_for_message(n, std::chrono::seconds(30));
    if (!path) return "";
    const auto mail = parse_mail(*path).as_object();
    for (const auto& part : mail.at("parts").as_array())
      if (part.as_object().at("content_type").as_string() == "text/plain")
        return std::string(part.as_object().at("body").as_string());
    return "";
  }
  static std::string token_in(const std::string& text, const std::string& page = "verify-email") {
    std::smatch m;
    const std::regex link("https://app\\.bet2wealth\\.test/" + page + "\\?token=([0-9a-f]{64})");
    return std::regex_search(text, m, link) ? m[1].str() : "";
  }
  std::optional<HttpResponse> verify(const std::string& token) {
    return money.post("/api/v1/auth/email/verify", {{"token", token}}, "", "");
  }

  SmtpSink sink;
  Money money;
};

TEST(EmailVerification, RegistrationMailsALinkThatVerifiesOnce) {
  Mailed m;
  const auto token = m.money.user("verify-me@example.ng");
  auto me = json_of(*m.money.get_auth("/api/v1/users/me", token));
  EXPECT_FALSE(me.at("email_verified").as_bool());

  const auto text = m.text_of(1);
  const auto link_token = Mailed::token_in(text);
  ASSERT_FALSE(link_token.empty()) << text;
  const auto envelope = m.sink.envelope(1).as_object();
  EXPECT_EQ(envelope.at("rcpt_tos").as_array().at(0).as_string(), "verify-me@example.ng");

  auto verified = m.verify(link_token);
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->status, 204) << verified->body;
  // GET /users/me caches the user for a second per thread.
  bool shown = false;
  for (int i = 0; i < 50 && !shown; ++i) {
    shown = json_of(*m.money.get_auth("/api/v1/users/me", token)).at("email_verified").as_bool();
    if (!shown) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(shown);
  // Single use: the same link again, a made-up one and a malformed one are all refused alike.
  for (const auto& bad : {link_token, std::string(64, 'a'), std::string("short")}) {
    auto again = m.verify(bad);
    EXPECT_EQ(again->status, 422) << bad;
    EXPECT_EQ(code_of(*again), "invalid_token") << bad;
  }
  // Verified: no more links to send.
  auto resend = m.money.call("POST", "/api/v1/auth/email/resend", object{}, token);
  EXPECT_EQ(resend->status, 409);
  EXPECT_EQ(code_of(*resend), "email_already_verified");
}

TEST(EmailVerification, ResendSendsANewLinkAndIsLimited) {
  Mailed m;
  const auto token = m.money.user("resend@example.ng");
  ASSERT_FALSE(Mailed::token_in(m.text_of(1)).empty());
  for (int i = 0; i < 3; ++i) {
    auto r = m.money.call("POST", "/api/v1/auth/email/resend", object{}, token);
    EXPECT_EQ(r->status, 202) << r->body;
  }
  auto limited = m.money.call("POST", "/api/v1/auth/email/resend", object{}, token);
  EXPECT_EQ(limited->status, 429);
  const auto newest = Mailed::token_in(m.text_of(4));
  ASSERT_FALSE(newest.empty());
  EXPECT_EQ(m.verify(newest)->status, 204);
}

TEST(EmailVerification, TheOwnerOfATakenAddressIsToldOnce) {
  Mailed m;
  m.money.user("owner@example.ng");
  ASSERT_FALSE(Mailed::token_in(m.text_of(1)).empty());
  for (int i = 0; i < 3; ++i) {
    auto again =
        m.money.post("/api/v1/auth/register", {{"email", "owner@example.ng"}, {"password", "money-pass-1"}}, "", "");
    EXPECT_EQ(again->status, 409);
    EXPECT_EQ(code_of(*again), "email_taken");
  }
  const auto notice = m.text_of(2);
  EXPECT_NE(notice.find("already has one"), std::string::npos) << notice;
  std::this_thread::sleep_for(std::chrono::seconds(3));  // the sender polls every second: nothing more comes
  EXPECT_EQ(m.sink.message_count(), 2);
}

TEST(PasswordReset, ALinkByMailChangesThePasswordOnceAndEndsEverySession) {
  Mailed m;
  const auto old_access = m.money.user("forgetful@example.ng");
  ASSERT_FALSE(Mailed::token_in(m.text_of(1)).empty());
  auto login =
      m.money.post("/api/v1/auth/login", {{"email", "forgetful@example.ng"}, {"password", "money-pass-1"}}, "", "");
  ASSERT_EQ(login->status, 200);
  const std::string old_refresh(json_of(*login)["refresh_token"].as_string());

  // Known and unknown addresses get the same answer; only the known one gets mail.
  auto known = m.money.post("/api/v1/auth/password/forgot", {{"email", "Forgetful@Example.ng"}}, "", "");
  auto unknown = m.money.post("/api/v1/auth/password/forgot", {{"email", "nobody@example.ng"}}, "", "");
  ASSERT_EQ(known->status, 202);
  EXPECT_EQ(unknown->status, known->status);
  EXPECT_EQ(unknown->body, known->body);
  const auto token = Mailed::token_in(m.text_of(2), "reset-password");
  ASSERT_FALSE(token.empty());

  auto weak = m.money.post("/api/v1/auth/password/reset", {{"token", token}, {"new_password", "short"}}, "", "");
  EXPECT_EQ(weak->status, 422);
  EXPECT_EQ(code_of(*weak), "validation_error");
  auto reset = m.money.post("/api/v1/auth/password/reset",
                            {{"token", token}, {"new_password", "a brand new passphrase"}}, "", "");
  EXPECT_EQ(reset->status, 204) << reset->body;
  // Single use.
  auto replay = m.money.post("/api/v1/auth/password/reset",
                             {{"token", token}, {"new_password", "another new passphrase"}}, "", "");
  EXPECT_EQ(replay->status, 422);
  EXPECT_EQ(code_of(*replay), "invalid_token");

  // The old password and every old token are done; the new password works.
  auto old_password =
      m.money.post("/api/v1/auth/login", {{"email", "forgetful@example.ng"}, {"password", "money-pass-1"}}, "", "");
  EXPECT_EQ(old_password->status, 401);
  auto refreshed = m.money.post("/api/v1/auth/refresh", {{"refresh_token", old_refresh}}, "", "");
  EXPECT_EQ(refreshed->status, 401);
  EXPECT_EQ(m.money.call("POST", "/api/v1/auth/logout-all", object{}, old_access)->status, 401);
  auto fresh = m.money.post("/api/v1/auth/login",
                            {{"email", "forgetful@example.ng"}, {"password", "a brand new passphrase"}}, "", "");
  EXPECT_EQ(fresh->status, 200);
}

TEST(PasswordReset, RequestsAreLimitedPerAddressWithoutTellingAndPerIp) {
  Mailed m;
  m.money.user("limited@example.ng");
  ASSERT_FALSE(Mailed::token_in(m.text_of(1)).empty());
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(m.money.post("/api/v1/auth/password/forgot", {{"email", "limited@example.ng"}}, "", "")->status, 202);
  // Three reset mails (and the verification mail), not five.
  ASSERT_TRUE(m.sink.wait_for_message(4, std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(m.sink.message_count(), 4);
  int limited = 0;
  for (int i = 0; i < 20; ++i)
    if (m.money.post("/api/v1/auth/password/forgot", {{"email", "x" + std::to_string(i) + "@example.ng"}}, "", "")
            ->status == 429)
      ++limited;
  EXPECT_EQ(limited, 5);  // 20 an hour per IP: 5 of them already went above
}

}  // namespace
