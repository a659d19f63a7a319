// Phone codes by SMS through the real binary against a fake of Termii's token API (tests/support/fake_termii.py:
// it makes the pins and puts them in the message text, as Termii does): verifying a phone, signing in and
// resetting a password by code, the answers that must not tell whether a phone is registered, send floods,
// verify brute force, replays, Termii down or slow, and the withdrawal rule.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "money_server.hpp"
#include "python_fake.hpp"

using namespace b2w::test;
using boost::json::object;

namespace {

const std::string kTermiiKey = "TLtest-termii-key-0123456789";
const std::string kSend = "/api/v1/auth/otp/send";
const std::string kVerify = "/api/v1/auth/otp/verify";

struct OtpServer {
  explicit OtpServer(Env extra = {})
      : termii("fake_termii.py", {kTermiiKey}), money(with_defaults(std::move(extra), termii)) {}

  static Env with_defaults(Env extra, const PythonFake& termii) {
    extra.try_emplace("TERMII_API_KEY", kTermiiKey);
    extra.try_emplace("TERMII_BASE_URL", termii.base_url());
    extra.try_emplace("TERMII_SENDER_ID", "B2WTest");
    extra.try_emplace("TERMII_TIMEOUT", "2s");
    extra.try_emplace("OTP_RESEND_INTERVAL", "0s");
    return extra;
  }

  std::optional<HttpResponse> send(const std::string& phone, const std::string& purpose,
                                   const std::string& token = "") {
    return money.post(kSend, {{"phone", phone}, {"purpose", purpose}}, token, "");
  }
  std::optional<HttpResponse> verify(const std::string& phone, const std::string& code, const std::string& purpose,
                                     const std::string& token = "") {
    return money.post(kVerify, {{"phone", phone}, {"code", code}, {"purpose", purpose}}, token, "");
  }
  boost::json::array messages() { return boost::json::parse(termii.read("/_messages")).as_array(); }
  // The pin of the last SMS Termii sent to `msisdn` (2348...).
  std::string last_pin(const std::string& msisdn) {
    std::string pin;
    for (const auto& m : messages())
      if (m.at("to").as_string() == msisdn) pin = std::string(m.at("pin").as_string());
    return pin;
  }
  std::int64_t count(const char* call) { return boost::json::parse(termii.read("/_counts")).at(call).as_int64(); }
  void mode(const std::string& m) { termii.control("/_mode", boost::json::serialize(object{{"mode", m}})); }
  // A user whose phone is verified: {access token, user id}.
  std::pair<std::string, std::string> verified_user(const std::string& email, const std::string& phone,
                                                    const std::string& msisdn) {
    auto reg = money.post("/api/v1/auth/register", {{"email", email}, {"password", "money-pass-1"}}, "", "");
    EXPECT_TRUE(reg && reg->status == 201) << (reg ? reg->body : "");
    const std::string token(json_of(*reg)["access_token"].as_string());
    auto sent = send(phone, "verify_phone", token);
    EXPECT_TRUE(sent && sent->status == 202) << (sent ? sent->body : "");
    auto ok = verify(phone, last_pin(msisdn), "verify_phone", token);
    EXPECT_TRUE(ok && ok->status == 200) << (ok ? ok->body : "");
    return {token, std::string(json_of(*reg)["user"].as_object()["id"].as_string())};
  }

  PythonFake termii;
  Money money;
};

std::string wrong(const std::string& pin) {
  std::string other = pin;
  other[0] = pin[0] == '9' ? '0' : static_cast<char>(pin[0] + 1);
  return other;
}

TEST(PhoneOtp, VerifyPhoneSendsACodeAndMarksThePhoneVerifiedOnce) {
  OtpServer s;
  const auto token = s.money.user("phone.owner@example.ng");
  auto sent = s.send("0803 123 4567", "verify_phone", token);
  ASSERT_TRUE(sent && sent->status == 202) << (sent ? sent->body : "");
  EXPECT_EQ(json_of(*sent)["status"].as_string(), "sent");
  EXPECT_EQ(json_of(*sent)["expires_in"].as_int64(), 600);
  EXPECT_EQ(sent->header("cache-control"), "no-store");
  auto messages = s.messages();
  ASSERT_EQ(messages.size(), 1u);
  auto sms = messages[0].as_object();
  EXPECT_EQ(sms["to"].as_string(), "2348031234567") << "E.164 without the plus, as Termii wants";
  EXPECT_EQ(sms["from"].as_string(), "B2WTest");
  EXPECT_EQ(sms["channel"].as_string(), "dnd");
  const std::string pin(sms["pin"].as_string());
  EXPECT_NE(std::string(sms["text"].as_string()).find(pin), std::string::npos);

  auto bad = s.verify("+2348031234567", wrong(pin), "verify_phone", token);
  ASSERT_TRUE(bad && bad->status == 422) << (bad ? bad->body : "");
  EXPECT_EQ(code_of(*bad), "invalid_code");
  auto good = s.verify("+2348031234567", pin, "verify_phone", token);
  ASSERT_TRUE(good && good->status == 200) << (good ? good->body : "");
  auto user = json_of(*good)["user"].as_object();
  EXPECT_EQ(user["phone"].as_string(), "+2348031234567");
  EXPECT_TRUE(user["phone_verified"].as_bool());
  auto replay = s.verify("+2348031234567", pin, "verify_phone", token);
  ASSERT_TRUE(replay && replay->status == 422) << (replay ? replay->body : "");
  EXPECT_EQ(code_of(*replay), "invalid_code") << "a code is used once";

  bool seen = false;  // /users/me caches for a second
  for (int i = 0; i < 40 && !seen; ++i) {
    auto me = s.money.get_auth("/api/v1/users/me", token);
    seen = me && me->status == 200 && json_of(*me)["phone_verified"].as_bool();
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(seen) << "GET /users/me shows phone_verified";
  const auto log = s.money.server().stdout_text() + s.money.server().stderr_text();
  EXPECT_EQ(log.find(pin), std::string::npos) << "codes are never logged";
  EXPECT_EQ(log.find("2348031234567"), std::string::npos) << "phones are logged masked";
  EXPECT_EQ(log.find(kTermiiKey), std::string::npos);
}

TEST(PhoneOtp, VerifyingAPhoneNeedsASignedInCaller) {
  OtpServer s;
  auto anonymous = s.send("08031234568", "verify_phone");
  ASSERT_TRUE(anonymous && anonymous->status == 401) << (anonymous ? anonymous->body : "");
  auto forged = s.send("08031234568", "verify_phone", "not-a-token");
  ASSERT_TRUE(forged && forged->status == 401) << (forged ? forged->body : "");
  EXPECT_EQ(s.count("send"), 0) << "nothing was sent";

  // A code another account asked for does not verify this one's phone, nor is it spent at Termii.
  const auto ada = s.money.user("ada.code@example.ng");
  const auto eve = s.money.user("eve.code@example.ng");
  ASSERT_EQ(s.send("08031234568", "verify_phone", ada)->status, 202);
  auto stolen = s.verify("08031234568", s.last_pin("2348031234568"), "verify_phone", eve);
  ASSERT_TRUE(stolen && stolen->status == 422) << (stolen ? stolen->body : "");
  auto anonymous_verify = s.verify("08031234568", s.last_pin("2348031234568"), "verify_phone");
  ASSERT_TRUE(anonymous_verify && anonymous_verify->status == 401);
  EXPECT_EQ(s.count("verify"), 0);
  auto own = s.verify("08031234568", s.last_pin("2348031234568"), "verify_phone", ada);
  EXPECT_EQ(own->status, 200) << own->body;
}

TEST(PhoneOtp, SendingForLoginOrResetSaysNothingOfWhetherThePhoneIsRegistered) {
  OtpServer s;
  s.verified_user("known.phone@example.ng", "08051234567", "2348051234567");
  const auto sends_before = s.count("send");
  for (const char* purpose : {"login", "password_reset"}) {
    auto unknown = s.send("08051234999", purpose);
    auto known = s.send("08051234567", purpose);
    ASSERT_TRUE(unknown && known);
    EXPECT_EQ(unknown->status, 202) << unknown->body;
    EXPECT_EQ(known->status, 202) << known->body;
    EXPECT_EQ(unknown->body, known->body) << purpose;
  }
  EXPECT_EQ(s.count("send"), sends_before + 2) << "SMS only to the registered phone";
  auto guess = s.verify("08051234999", "123456", "login");
  ASSERT_TRUE(guess && guess->status == 422);
  EXPECT_EQ(code_of(*guess), "invalid_code");
}

TEST(PhoneOtp, SignInByCodeGivesTheAccountsSession) {
  OtpServer s;
  const auto [token, user_id] = s.verified_user("login.by.code@example.ng", "09031234567", "2349031234567");
  ASSERT_EQ(s.send("+2349031234567", "login")->status, 202);
  auto signed_in = s.verify("09031234567", s.last_pin("2349031234567"), "login");
  ASSERT_TRUE(signed_in && signed_in->status == 200) << (signed_in ? signed_in->body : "");
  auto body = json_of(*signed_in);
  EXPECT_EQ(body["user"].as_object()["id"].as_string(), user_id);
  EXPECT_EQ(body["token_type"].as_string(), "Bearer");
  auto wallet = s.money.get_auth("/api/v1/wallet", std::string(body["access_token"].as_string()));
  ASSERT_TRUE(wallet && wallet->status == 200);
  auto replay = s.verify("09031234567", s.last_pin("2349031234567"), "login");
  ASSERT_TRUE(replay && replay->status == 422);
}

TEST(PhoneOtp, PasswordResetByCodeDirectlyOrThroughAResetToken) {
  OtpServer s;
  s.verified_user("reset.by.code@example.ng", "07031234567", "2347031234567");
  auto login =
      s.money.post("/api/v1/auth/login", {{"email", "reset.by.code@example.ng"}, {"password", "money-pass-1"}}, "", "");
  ASSERT_TRUE(login && login->status == 200);
  const auto old_refresh = json_of(*login)["refresh_token"];

  ASSERT_EQ(s.send("07031234567", "password_reset")->status, 202);
  const std::string pin = s.last_pin("2347031234567");
  auto weak = s.money.post("/api/v1/auth/password/reset",
                           {{"phone", "07031234567"}, {"code", pin}, {"new_password", "short"}}, "", "");
  ASSERT_TRUE(weak && weak->status == 422);
  EXPECT_EQ(code_of(*weak), "validation_error") << "the code is not spent on a refused password";
  auto reset = s.money.post("/api/v1/auth/password/reset",
                            {{"phone", "07031234567"}, {"code", pin}, {"new_password", "a-new-long-secret-1"}}, "", "");
  ASSERT_TRUE(reset && reset->status == 204) << (reset ? reset->body : "");
  auto old_password =
      s.money.post("/api/v1/auth/login", {{"email", "reset.by.code@example.ng"}, {"password", "money-pass-1"}}, "", "");
  EXPECT_EQ(old_password->status, 401);
  auto refreshed = s.money.post("/api/v1/auth/refresh", {{"refresh_token", old_refresh}}, "", "");
  EXPECT_EQ(refreshed->status, 401) << "a reset ends every session";
  auto again =
      s.money.post("/api/v1/auth/password/reset",
                   {{"phone", "07031234567"}, {"code", pin}, {"new_password", "another-long-secret-2"}}, "", "");
  ASSERT_TRUE(again && again->status == 422);
  EXPECT_EQ(code_of(*again), "invalid_code");

  // The two-step form: the code for a reset token, the token for the password.
  ASSERT_EQ(s.send("07031234567", "password_reset")->status, 202);
  auto exchanged = s.verify("07031234567", s.last_pin("2347031234567"), "password_reset");
  ASSERT_TRUE(exchanged && exchanged->status == 200) << (exchanged ? exchanged->body : "");
  EXPECT_EQ(json_of(*exchanged)["expires_in"].as_int64(), 1800);
  const auto reset_token = json_of(*exchanged)["reset_token"];
  auto by_token = s.money.post("/api/v1/auth/password/reset",
                               {{"token", reset_token}, {"new_password", "third-long-secret-3"}}, "", "");
  ASSERT_TRUE(by_token && by_token->status == 204) << (by_token ? by_token->body : "");
  auto newest = s.money.post("/api/v1/auth/login",
                             {{"email", "reset.by.code@example.ng"}, {"password", "third-long-secret-3"}}, "", "");
  EXPECT_EQ(newest->status, 200);
}

TEST(PhoneOtp, SendFloodsAreBoundedPerPhoneAndPerIp) {
  {
    OtpServer s(Env{{"OTP_RESEND_INTERVAL", "60s"}});
    const auto token = s.money.user("flood.minute@example.ng");
    ASSERT_EQ(s.send("08061234567", "verify_phone", token)->status, 202);
    auto second = s.send("08061234567", "verify_phone", token);
    ASSERT_TRUE(second && second->status == 429) << (second ? second->body : "");
    EXPECT_EQ(code_of(*second), "rate_limited");
    const int retry = std::stoi(second->header("retry-after"));
    EXPECT_GT(retry, 0);
    EXPECT_LE(retry, 60);
    // Unregistered phones are counted the same: a 429 does not tell them apart.
    ASSERT_EQ(s.send("08061230000", "login")->status, 202);
    EXPECT_EQ(s.send("08061230000", "login")->status, 429);
    EXPECT_EQ(s.count("send"), 1);
  }
  OtpServer s;
  const auto token = s.money.user("flood.hour@example.ng");
  for (int i = 0; i < 5; ++i) ASSERT_EQ(s.send("08071234567", "verify_phone", token)->status, 202) << i;
  auto sixth = s.send("08071234567", "verify_phone", token);
  ASSERT_TRUE(sixth && sixth->status == 429) << "5 an hour per phone";
  // 20 an hour per IP, whatever the phones: 6 counted above (the refused one too), 14 more, then 429.
  for (int i = 0; i < 14; ++i)
    ASSERT_EQ(s.send("080812345" + std::to_string(10 + i), "verify_phone", token)->status, 202) << i;
  auto over = s.send("08091234567", "verify_phone", token);
  ASSERT_TRUE(over && over->status == 429) << (over ? over->body : "");
  EXPECT_EQ(s.count("send"), 19);
}

TEST(PhoneOtp, VerifyBruteForceStopsAfterFiveChecksEvenInParallel) {
  OtpServer s;
  const auto token = s.money.user("brute@example.ng");
  ASSERT_EQ(s.send("08101234567", "verify_phone", token)->status, 202);
  const std::string pin = s.last_pin("2348101234567");
  std::atomic<int> invalid{0}, other{0};
  std::vector<std::thread> guessers;
  for (int i = 0; i < 16; ++i)
    guessers.emplace_back([&, i] {
      std::string guess = std::to_string(100000 + i * 7919);
      if (guess == pin) guess = wrong(pin);
      auto r = s.verify("08101234567", guess, "verify_phone", token);
      (r && r->status == 422 && code_of(*r) == "invalid_code" ? invalid : other)++;
    });
  for (auto& t : guessers) t.join();
  EXPECT_EQ(invalid.load(), 16);
  EXPECT_EQ(other.load(), 0);
  EXPECT_LE(s.count("verify"), 5) << "at most five checks reach Termii";
  auto right_too_late = s.verify("08101234567", pin, "verify_phone", token);
  ASSERT_TRUE(right_too_late && right_too_late->status == 422) << "the code is spent after five checks";
  // A new code starts a new count.
  ASSERT_EQ(s.send("08101234567", "verify_phone", token)->status, 202);
  auto fresh = s.verify("08101234567", s.last_pin("2348101234567"), "verify_phone", token);
  EXPECT_EQ(fresh->status, 200) << fresh->body;
}

TEST(PhoneOtp, TermiiDownOrSlowIs503InBoundedTimeAndRecordsNothing) {
  OtpServer s(Env{{"TERMII_TIMEOUT", "1s"}});
  const auto token = s.money.user("termii.down@example.ng");
  for (const char* mode : {"down", "error", "hang"}) {
    s.mode(mode);
    const auto start = std::chrono::steady_clock::now();
    auto r = s.send("08111234567", "verify_phone", token);
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(r && r->status == 503) << mode << ": " << (r ? r->body : "");
    EXPECT_EQ(code_of(*r), "sms_unavailable") << mode;
    EXPECT_LT(took, std::chrono::seconds(8)) << mode;
  }
  s.mode("ok");
  ASSERT_EQ(s.send("08111234567", "verify_phone", token)->status, 202);
  const std::string pin = s.last_pin("2348111234567");
  // Termii down while checking: 503, and the check is given back.
  s.mode("down");
  for (int i = 0; i < 6; ++i) {
    auto r = s.verify("08111234567", pin, "verify_phone", token);
    ASSERT_TRUE(r && r->status == 503) << (r ? r->body : "");
  }
  s.mode("ok");
  auto ok = s.verify("08111234567", pin, "verify_phone", token);
  ASSERT_TRUE(ok && ok->status == 200) << (ok ? ok->body : "");
}

TEST(PhoneOtp, WithoutTermiiConfiguredCodesAre503) {
  OtpServer s(Env{{"TERMII_API_KEY", ""}});
  const auto token = s.money.user("no.termii@example.ng");
  auto r = s.send("08121234567", "verify_phone", token);
  ASSERT_TRUE(r && r->status == 503) << (r ? r->body : "");
  EXPECT_EQ(code_of(*r), "sms_unavailable");
}

TEST(PhoneOtp, ExpiredCodesAreRefused) {
  OtpServer s(Env{{"OTP_TTL_MINUTES", "1"}});
  const auto token = s.money.user("expired.code@example.ng");
  ASSERT_EQ(s.send("08131234567", "verify_phone", token)->status, 202);
  const auto sms = s.messages().back().as_object();
  s.termii.control("/_expire", boost::json::serialize(object{{"pin_id", sms.at("pin_id")}}));
  auto r = s.verify("08131234567", std::string(sms.at("pin").as_string()), "verify_phone", token);
  ASSERT_TRUE(r && r->status == 422) << (r ? r->body : "");
  EXPECT_EQ(code_of(*r), "invalid_code");
}

TEST(PhoneOtp, APhoneVerifiedOnOneAccountIsTakenForAnother) {
  OtpServer s;
  s.verified_user("first.owner@example.ng", "08141234567", "2348141234567");
  const auto second = s.money.user("second.owner@example.ng");
  ASSERT_EQ(s.send("08141234567", "verify_phone", second)->status, 202) << "the send does not tell";
  auto r = s.verify("08141234567", s.last_pin("2348141234567"), "verify_phone", second);
  ASSERT_TRUE(r && r->status == 409) << (r ? r->body : "");
  EXPECT_EQ(code_of(*r), "phone_taken");
  auto me = s.money.get_auth("/api/v1/users/me", second);
  ASSERT_TRUE(me && me->status == 200);
  EXPECT_FALSE(json_of(*me)["phone_verified"].as_bool());
}

TEST(PhoneOtp, BadInputIsRefusedAndSendsNothing) {
  OtpServer s;
  const auto token = s.money.user("bad.input@example.ng");
  for (const auto& [phone, purpose] : std::vector<std::pair<std::string, std::string>>{
           {"+442079460958", "verify_phone"}, {"12345", "login"}, {"08031234567", "signup"}, {"", "login"}}) {
    auto r = s.send(phone, purpose, token);
    ASSERT_TRUE(r && r->status == 422) << phone << " " << purpose << ": " << (r ? r->body : "");
    EXPECT_EQ(code_of(*r), "validation_error");
  }
  auto code = s.verify("08031234567", "12ab56", "verify_phone", token);
  ASSERT_TRUE(code && code->status == 422);
  EXPECT_EQ(code_of(*code), "validation_error");
  auto missing = s.money.post(kSend, {{"purpose", "login"}}, "", "");
  ASSERT_TRUE(missing && missing->status == 422);
  EXPECT_EQ(s.count("send"), 0);
}

TEST(PhoneOtp, WithdrawalsNeedAVerifiedPhoneWhenRequired) {
  OtpServer s(Env{{"REQUIRE_VERIFIED_PHONE_FOR_WITHDRAWAL", "true"}});
  const auto token = s.money.user("withdraw.phone@example.ng");
  s.money.fund(token, 50000, "fund-phone");
  const object withdrawal = s.money.withdrawal(token, 10000);
  auto refused = s.money.post("/api/v1/wallet/withdrawals", withdrawal, token, "wd-phone-1");
  ASSERT_TRUE(refused && refused->status == 403) << (refused ? refused->body : "");
  EXPECT_EQ(code_of(*refused), "phone_not_verified");
  EXPECT_EQ(s.money.wallet(token)["balance"].as_int64(), 50000) << "nothing moved";
  ASSERT_EQ(s.send("08151234567", "verify_phone", token)->status, 202);
  ASSERT_EQ(s.verify("08151234567", s.last_pin("2348151234567"), "verify_phone", token)->status, 200);
  auto allowed = s.money.post("/api/v1/wallet/withdrawals", withdrawal, token, "wd-phone-2");
  ASSERT_TRUE(allowed && allowed->status == 201) << (allowed ? allowed->body : "");
  EXPECT_EQ(s.money.verify_ledger(), 0);
}

}  // namespace
