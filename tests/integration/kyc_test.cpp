// KYC tiers (issue 20): the tiers' withdrawal caps send withdrawals to review (never refuse them), counted
// exactly under parallel requests on SQLite and on PostgreSQL with two tasks; identity verification through
// the fake Paystack's customer validation and its webhooks; an operator's tier.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <future>
#include <latch>
#include <map>
#include <thread>

#include "money_server.hpp"
#include "pg_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::object;

namespace {

// Small caps, so the tests move little money: tier 0 ₦500 a day, 3 a day, ₦200 at once; tier 1 ₦5,000, 5,
// ₦2,000; tier 2 ₦50,000, 10, ₦50,000.
Env kyc_env(const Env& extra = {}) {
  Env env{{"KYC_TIER0_WITHDRAWAL_DAILY_AMOUNT", "50000"},
          {"KYC_TIER0_WITHDRAWALS_PER_DAY", "3"},
          {"KYC_TIER0_MAX_WITHDRAWAL", "20000"},
          {"KYC_TIER1_WITHDRAWAL_DAILY_AMOUNT", "500000"},
          {"KYC_TIER1_WITHDRAWALS_PER_DAY", "5"},
          {"KYC_TIER1_MAX_WITHDRAWAL", "200000"},
          {"KYC_TIER2_WITHDRAWAL_DAILY_AMOUNT", "5000000"},
          {"KYC_TIER2_WITHDRAWALS_PER_DAY", "10"},
          {"KYC_TIER2_MAX_WITHDRAWAL", "5000000"}};
  for (const auto& [k, v] : extra) env[k] = v;
  return env;
}

struct Withdrawal {
  int status = 0;
  std::string state;
  std::string review_reason;
};

Withdrawal withdraw(Money& m, int port, const std::string& token, std::int64_t amount, const std::string& key) {
  auto r = m.call_at(port, "POST", "/api/v1/wallet/withdrawals", m.withdrawal(token, amount), token, key);
  if (!r) return {};
  Withdrawal w{r->status, "", ""};
  if (r->status != 201) return w;
  auto o = json_of(*r);
  w.state = std::string(o["status"].as_string());
  if (o["review_reason"].is_string()) w.review_reason = std::string(o["review_reason"].as_string());
  return w;
}

TEST(KycCaps, TierZeroAboveItsSingleCapWaitsForReview) {
  Money m(kyc_env());
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("tier0-single@example.ng");
  m.fund(token, 1'000'000, "fund");
  const auto over = withdraw(m, m.port(), token, 20'001, "wd-over");
  EXPECT_EQ(over.status, 201);
  EXPECT_EQ(over.state, "awaiting_review");
  EXPECT_EQ(over.review_reason, "above_tier_single");
  const auto within = withdraw(m, m.port(), token, 20'000, "wd-within");
  EXPECT_EQ(within.state, "pending");
  EXPECT_EQ(within.review_reason, "");
  // The day's amount: 20,001 + 20,000 held so far, so 9,999 more fits and 10,000 does not.
  EXPECT_EQ(withdraw(m, m.port(), token, 10'000, "wd-day").review_reason, "above_tier_daily_amount");
  EXPECT_EQ(m.verify_ledger(), 0);
}

// Eight at once against a count cap of three: exactly three go out at once, the five others wait for review,
// none is lost or refused.
void count_cap_race(Money& m, const std::vector<int>& ports, const std::string& email) {
  const auto token = m.user(email);
  m.fund(token, 1'000'000, "fund");
  std::latch start(8);
  std::vector<std::future<Withdrawal>> tries;
  for (int i = 0; i < 8; ++i)
    tries.push_back(std::async(std::launch::async, [&, i] {
      start.arrive_and_wait();
      return withdraw(m, ports[static_cast<std::size_t>(i) % ports.size()], token, 1'000, "wd-" + std::to_string(i));
    }));
  std::map<std::string, int> states;
  for (auto& t : tries) {
    const auto w = t.get();
    EXPECT_EQ(w.status, 201);
    ++states[w.state];
    if (w.state == "awaiting_review") {
      EXPECT_EQ(w.review_reason, "above_tier_daily_count");
    }
  }
  EXPECT_EQ(states["pending"], 3);
  EXPECT_EQ(states["awaiting_review"], 5);
  EXPECT_EQ(m.wallet(token)["balance"].as_int64(), 1'000'000 - 8 * 1'000);
  EXPECT_EQ(m.verify_ledger(), 0);
}

TEST(KycCaps, ParallelWithdrawalsPassTheCountCapExactlySqlite) {
  Money m(kyc_env());
  ASSERT_TRUE(m.server().started());
  count_cap_race(m, {m.port()}, "race-sqlite@example.ng");
}

TEST(KycCaps, ParallelWithdrawalsPassTheCountCapExactlyPostgresTwoTasks) {
  PgServer pg;
  pg.create_database("kyc");
  Money m(kyc_env({{"DATABASE_URL", pg.url("kyc")}}));
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  ServerProcess second(m.env());
  ASSERT_TRUE(second.started());
  count_cap_race(m, {m.port(), second.port()}, "race-pg@example.ng");
}

const object kIdentity{{"bvn", "22222222221"},
                       {"bank_code", "007"},
                       {"account_number", "0111111111"},
                       {"first_name", "Uchenna"},
                       {"last_name", "Okoro"}};

// Paystack's customeridentification webhook, as its "Validate Customer" guide shows it (masked numbers).
std::string identification_event(const std::string& event, const std::string& customer_code,
                                 const std::string& reason = "") {
  object data{{"customer_id", "9387490384"},
              {"customer_code", customer_code},
              {"email", "someone@example.ng"},
              {"identification", object{{"country", "NG"},
                                        {"type", "bank_account"},
                                        {"bvn", "222*****221"},
                                        {"account_number", "011****111"},
                                        {"bank_code", "007"}}}};
  if (!reason.empty()) data["reason"] = reason;
  return boost::json::serialize(object{{"event", event}, {"data", data}});
}

// The requests the fake Paystack received on paths starting with `prefix`.
std::vector<object> requests_to(Money& m, const std::string& prefix) {
  std::vector<object> out;
  const auto all = boost::json::parse(m.paystack().requests_json());
  for (const auto& r : all.as_array()) {
    const auto& o = r.as_object();
    if (std::string(o.at("path").as_string()).rfind(prefix, 0) == 0) out.push_back(o);
  }
  return out;
}

object me(Money& m, const std::string& token) {
  std::this_thread::sleep_for(1100ms);  // GET /users/me keeps a user for a second
  return json_of(*m.get_auth("/api/v1/users/me", token));
}

object identity_of(Money& m, const std::string& token) {
  return json_of(*m.get_auth("/api/v1/users/me/identity", token));
}

std::string check_status(Money& m, const std::string& token) {
  auto o = identity_of(m, token);
  return std::string(o["check"].as_object()["status"].as_string());
}

TEST(Kyc, AValidatedIdentityLiftsThePlayerToTierTwo) {
  Money m(kyc_env());
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("identity@example.ng");
  auto before = me(m, token);
  EXPECT_EQ(before["kyc_tier"].as_int64(), 0);
  EXPECT_FALSE(before["identity_verified"].as_bool());
  EXPECT_TRUE(identity_of(m, token)["check"].is_null());

  object bad = kIdentity;
  bad["bvn"] = "2222222222";
  bad["account_number"] = "12345";
  auto refused = m.post("/api/v1/users/me/identity", bad, token, "");
  ASSERT_EQ(refused->status, 422);
  EXPECT_EQ(code_of(*refused), "validation_error");
  EXPECT_NE(refused->body.find("\"bvn\""), std::string::npos);
  EXPECT_NE(refused->body.find("\"account_number\""), std::string::npos);
  EXPECT_EQ(refused->body.find("2222222222"), std::string::npos) << "never the number itself";

  auto submitted = m.post("/api/v1/users/me/identity", kIdentity, token, "");
  ASSERT_EQ(submitted->status, 202) << submitted->body;
  EXPECT_EQ(json_of(*submitted)["status"].as_string(), "pending");
  EXPECT_EQ(submitted->body.find("22222222221"), std::string::npos);

  // Paystack got a customer for the player's email, then the validation request with every field.
  const auto customers = requests_to(m, "/customer");
  ASSERT_EQ(customers.size(), 2u);
  EXPECT_EQ(customers[0].at("path").as_string(), "/customer");
  EXPECT_EQ(customers[0].at("body").as_object().at("email").as_string(), "identity@example.ng");
  const std::string path(customers[1].at("path").as_string());
  ASSERT_EQ(path.rfind("/customer/CUS_", 0), 0u) << path;
  const std::string code =
      path.substr(std::string("/customer/").size(),
                  path.size() - std::string("/customer/").size() - std::string("/identification").size());
  auto sent = customers[1].at("body").as_object();
  EXPECT_EQ(sent["country"].as_string(), "NG");
  EXPECT_EQ(sent["type"].as_string(), "bank_account");
  EXPECT_EQ(sent["bvn"].as_string(), "22222222221");
  EXPECT_EQ(sent["bank_code"].as_string(), "007");
  EXPECT_EQ(sent["account_number"].as_string(), "0111111111");
  EXPECT_EQ(sent["first_name"].as_string(), "Uchenna");
  EXPECT_EQ(sent["last_name"].as_string(), "Okoro");
  EXPECT_EQ(customers[1].at("authorization").as_string(), "Bearer " + kPaystackSecret);

  auto again = m.post("/api/v1/users/me/identity", kIdentity, token, "");
  EXPECT_EQ(again->status, 409);
  EXPECT_EQ(code_of(*again), "identity_check_pending");
  EXPECT_EQ(check_status(m, token), "pending");

  // Another customer's outcome changes nothing of this player's.
  EXPECT_EQ(m.webhook(identification_event("customeridentification.success", "CUS_someoneelse"))->status, 200);
  EXPECT_EQ(check_status(m, token), "pending");

  EXPECT_EQ(m.webhook(identification_event("customeridentification.success", code))->status, 200);
  EXPECT_EQ(check_status(m, token), "verified");
  // Repeated, and a failure delivered late: still verified.
  EXPECT_EQ(m.webhook(identification_event("customeridentification.success", code))->status, 200);
  EXPECT_EQ(m.webhook(identification_event("customeridentification.failed", code, "Account number or BVN is incorrect"))
                ->status,
            200);
  auto shown = identity_of(m, token)["check"].as_object();
  EXPECT_EQ(shown["status"].as_string(), "verified");
  EXPECT_TRUE(shown["reason"].is_null());
  auto after = me(m, token);
  EXPECT_EQ(after["kyc_tier"].as_int64(), 2);
  EXPECT_TRUE(after["identity_verified"].as_bool());
  auto done = m.post("/api/v1/users/me/identity", kIdentity, token, "");
  EXPECT_EQ(done->status, 409);
  EXPECT_EQ(code_of(*done), "identity_verified");

  // Tier 2: ₦3,000 at once is above tier 0's and tier 1's single caps, within tier 2's: no review.
  m.fund(token, 1'000'000, "fund");
  const auto big = withdraw(m, m.port(), token, 300'000, "wd-big");
  EXPECT_EQ(big.status, 201);
  EXPECT_EQ(big.state, "pending");
  EXPECT_EQ(m.verify_ledger(), 0);
  // The full numbers went to Paystack and nowhere else.
  const auto log = m.server().stdout_text();
  EXPECT_EQ(log.find("22222222221"), std::string::npos);
  EXPECT_EQ(log.find("0111111111"), std::string::npos);
}

TEST(Kyc, AFailedCheckSaysWhyAndMayBeTriedAgain) {
  Money m(kyc_env());
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("retry@example.ng");
  ASSERT_EQ(m.post("/api/v1/users/me/identity", kIdentity, token, "")->status, 202);
  const auto first = requests_to(m, "/customer/");
  ASSERT_EQ(first.size(), 1u);
  const std::string path(first[0].at("path").as_string());
  const std::string code = path.substr(10, path.size() - 10 - 15);
  ASSERT_EQ(m.webhook(identification_event("customeridentification.failed", code, "Account number or BVN is incorrect"))
                ->status,
            200);
  auto failed = identity_of(m, token)["check"].as_object();
  EXPECT_EQ(failed["status"].as_string(), "failed");
  EXPECT_EQ(failed["reason"].as_string(), "Account number or BVN is incorrect");
  EXPECT_EQ(me(m, token)["kyc_tier"].as_int64(), 0);

  ASSERT_EQ(m.post("/api/v1/users/me/identity", kIdentity, token, "")->status, 202);
  EXPECT_EQ(requests_to(m, "/customer").size(), 3u) << "the customer code is reused: one /customer in all";
  EXPECT_EQ(check_status(m, token), "pending");
  ASSERT_EQ(m.webhook(identification_event("customeridentification.success", code))->status, 200);
  EXPECT_EQ(check_status(m, token), "verified");
}

TEST(Kyc, PaystackDownFailsTheCheckWithA502AndAllowsARetry) {
  Money m(kyc_env());
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("down@example.ng");
  m.paystack().set_mode("down");
  auto r = m.post("/api/v1/users/me/identity", kIdentity, token, "");
  EXPECT_EQ(r->status, 502);
  EXPECT_EQ(code_of(*r), "identity_provider_error");
  EXPECT_EQ(check_status(m, token), "failed");
  m.paystack().set_mode("ok");
  EXPECT_EQ(m.post("/api/v1/users/me/identity", kIdentity, token, "")->status, 202);
  EXPECT_EQ(check_status(m, token), "pending");
}

// Support sets a tier with a reason (audited, before and after); a trader may not; the tier's caps apply at once.
TEST(Kyc, SupportSetsATierWithAReasonAndItsCapsApply) {
  Money m(kyc_env());
  ASSERT_TRUE(m.server().started());
  const auto support = m.staff("kyc.support@example.ng", "support");
  const auto trader = m.staff("kyc.trader@example.ng", "trader");
  const auto owner = m.admin("kyc.owner@example.ng");
  auto reg = m.post("/api/v1/auth/register",
                    {{"email", "tiered@example.ng"},
                     {"password", "money-pass-1"},
                     {"date_of_birth", "1990-06-15"},
                     {"full_name", "Ada Obi"}},  // the name of the payout account m.withdrawal() saves
                    "", "");
  ASSERT_EQ(reg->status, 201);
  const std::string id(json_of(*reg)["user"].as_object()["id"].as_string());
  const std::string token(json_of(*reg)["access_token"].as_string());
  const std::string path = "/api/v1/admin/users/" + id + "/tier";

  auto by_trader = m.call("PUT", path, {{"tier", 1}, {"reason", "documents seen"}}, trader);
  EXPECT_EQ(by_trader->status, 403);
  EXPECT_EQ(m.call("PUT", path, {{"tier", 3}, {"reason", "x"}}, support)->status, 422);
  EXPECT_EQ(m.call("PUT", path, {{"tier", 1}}, support)->status, 422) << "a reason is required";
  EXPECT_EQ(m.call("PUT", path, {{"reason", "no tier"}}, support)->status, 422);
  EXPECT_EQ(m.call("PUT", "/api/v1/admin/users/usr_nobody/tier", {{"tier", 1}, {"reason", "x"}}, support)->status, 404);

  auto set = m.call("PUT", path, {{"tier", 1}, {"reason", "documents seen at the shop"}}, support);
  ASSERT_EQ(set->status, 200) << set->body;
  EXPECT_EQ(json_of(*set)["kyc_tier"].as_int64(), 1);
  EXPECT_EQ(json_of(*set)["kyc_tier_override"].as_int64(), 1);
  // The same again changes and records nothing.
  ASSERT_EQ(m.call("PUT", path, {{"tier", 1}, {"reason", "again"}}, support)->status, 200);
  auto detail = json_of(*m.get_auth("/api/v1/admin/users/" + id, support));
  EXPECT_EQ(detail["user"].as_object()["kyc_tier"].as_int64(), 1);
  EXPECT_EQ(me(m, token)["kyc_tier"].as_int64(), 1);

  // Tier 1's caps: ₦2,000 at once goes out, ₦2,000.01 waits.
  m.fund(token, 1'000'000, "fund");
  EXPECT_EQ(withdraw(m, m.port(), token, 200'000, "wd-within").state, "pending");
  const auto over = withdraw(m, m.port(), token, 200'001, "wd-over");
  EXPECT_EQ(over.state, "awaiting_review");
  EXPECT_EQ(over.review_reason, "above_tier_single");

  auto cleared = m.call("PUT", path, {{"tier", nullptr}, {"reason", "back to what is verified"}}, support);
  ASSERT_EQ(cleared->status, 200);
  EXPECT_EQ(json_of(*cleared)["kyc_tier"].as_int64(), 0);
  EXPECT_TRUE(json_of(*cleared)["kyc_tier_override"].is_null());

  auto trail = m.get_auth("/api/v1/admin/audit?entity=user:" + id, owner);
  ASSERT_TRUE(trail && trail->status == 200);
  const auto records = json_of(*trail);
  const auto& data = records.at("data").as_array();
  ASSERT_EQ(data.size(), 2u) << trail->body;
  const auto& newest = data[0].as_object();
  EXPECT_EQ(newest.at("action").as_string(), "user.tier");
  EXPECT_NE(trail->body.find("back to what is verified"), std::string::npos);
  EXPECT_NE(trail->body.find("documents seen at the shop"), std::string::npos);
  EXPECT_EQ(trail->body.find("\"again\""), std::string::npos);
  EXPECT_EQ(m.verify_ledger(), 0);
}

}  // namespace
