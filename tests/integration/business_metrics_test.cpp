// Business metrics on the real binary: a known workload (registration, deposits through webhooks, a
// withdrawal whose webhook the fake Paystack sends, bets placed and settled, a refused bet, a webhook with a
// bad signature, logins that succeed, fail and are held) and the one EMF line the process writes at exit
// (METRICS_INTERVAL 1h), parsed from its stdout and checked value by value.
#include <gtest/gtest.h>

#include <set>

#include "harness.hpp"
#include "money_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::object;

namespace {

std::vector<object> log_lines(const std::string& out) {
  std::vector<object> lines;
  std::size_t start = 0;
  while (start < out.size()) {
    auto end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    const auto text = out.substr(start, end - start);
    start = end + 1;
    if (text.empty() || text.front() != '{') continue;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (!ec && v.is_object()) lines.push_back(v.as_object());
  }
  return lines;
}

std::optional<HttpResponse> login(Money& m, const std::string& email, const std::string& password) {
  return m.post("/api/v1/auth/login", {{"email", email}, {"password", password}}, "", "");
}

}  // namespace

TEST(BusinessMetrics, AKnownWorkloadGivesExactValuesInTheExitLine) {
  Money m(Env{{"METRICS_INTERVAL", "1h"},
              {"APP_ENV", "development"},
              {"LOGIN_MAX_FAILURES_PER_ACCOUNT", "2"},
              {"LOGIN_THROTTLE_BASE", "5m"},  // no hold ends during the test
              {"LOGIN_MAX_ATTEMPTS_PER_IP", "1000"}});
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  std::int64_t logins_ok = 0, logins_failed = 0, logins_limited = 0;

  const auto admin = m.admin("trader@bet2wealth.co");  // the CLI creates it; its password login succeeds
  ++logins_ok;
  const auto punter = m.user("punter@example.ng");  // registration issues tokens: not a login

  // Deposits: one credited by its (signed) webhook, delivered twice; one whose checkout Paystack refused.
  const auto ref = m.fund(punter, 100'000, "dep-1");
  ASSERT_EQ(m.webhook(Money::charge(ref, 100'000))->status, 200);  // a re-delivery
  m.paystack().script(777, R"({"initialize": "refuse"})");
  ASSERT_EQ(m.post("/api/v1/wallet/deposits", {{"amount", 777}}, punter, "dep-2")->status, 502);
  // A webhook with a wrong signature changes nothing.
  ASSERT_EQ(m.webhook(Money::charge(ref, 100'000), std::string(64, '0'))->status, 401);

  // A withdrawal whose transfer.success the fake Paystack itself signs and sends during the /transfer call.
  m.paystack().script(20'001, R"({"transfer": "early_success"})");
  auto wd = m.post("/api/v1/wallet/withdrawals", m.withdrawal(punter, 20'001), punter, "wd-1");
  ASSERT_TRUE(wd && wd->status == 201) << (wd ? wd->body : "");
  ASSERT_EQ(json_of(*wd)["status"].as_string(), "completed");

  // Bets: two placed, one refused (the balance does not cover it), one replayed (not new); then settled.
  auto event = m.post(
      "/api/v1/admin/events",
      {{"sport", "football"}, {"home", "Enyimba"}, {"away", "Rivers United"}, {"starts_at", in_hours(2)}}, admin, "");
  ASSERT_TRUE(event && event->status == 201) << (event ? event->body : "");
  const std::string event_id(json_of(*event)["id"].as_string());
  boost::json::array selections{object{{"name", "Home"}, {"odds", "2.10"}}, object{{"name", "Draw"}, {"odds", "3.20"}},
                                object{{"name", "Away"}, {"odds", "4.50"}}};
  auto market =
      m.post("/api/v1/admin/events/" + event_id + "/markets", {{"name", "1X2"}, {"selections", selections}}, admin, "");
  ASSERT_TRUE(market && market->status == 201) << (market ? market->body : "");
  const auto market_json = json_of(*market);
  const auto selection = [&](std::size_t i) {
    return std::string(market_json.at("selections").as_array()[i].as_object().at("id").as_string());
  };
  const auto bet = [&](std::int64_t stake, std::size_t leg, const std::string& odds, const std::string& key) {
    boost::json::array legs{object{{"selection_id", selection(leg)}, {"odds", odds}}};
    return m.post("/api/v1/bets", {{"stake", stake}, {"legs", legs}}, punter, key);
  };
  ASSERT_EQ(bet(10'000, 0, "2.10", "bet-1")->status, 201);
  auto replay = bet(10'000, 0, "2.10", "bet-1");
  ASSERT_EQ(replay->status, 201);
  ASSERT_EQ(replay->header("idempotent-replayed"), "true") << "a replay: not a new bet";
  ASSERT_EQ(bet(20'000, 2, "4.50", "bet-2")->status, 201);
  auto broke = bet(1'000'000, 1, "3.20", "bet-3");
  ASSERT_EQ(broke->status, 422);
  ASSERT_EQ(code_of(*broke), "insufficient_funds");
  const object results{{selection(0), "won"}, {selection(1), "lost"}, {selection(2), "lost"}};
  auto settled = m.post("/api/v1/admin/markets/" + std::string(market_json.at("id").as_string()) + "/settle",
                        {{"results", results}}, admin, "");
  ASSERT_TRUE(settled && settled->status == 200) << (settled ? settled->body : "");
  ASSERT_EQ(json_of(*settled)["bets_settled"].as_int64(), 2);

  // Logins: one good, then wrong passwords until the throttle holds the account (each answer counted as seen).
  ASSERT_EQ(login(m, "punter@example.ng", "money-pass-1")->status, 200);
  ++logins_ok;
  for (int i = 0; i < 10 && logins_limited < 2; ++i) {
    const auto r = login(m, "punter@example.ng", "wrong-password-1");
    ASSERT_TRUE(r);
    ASSERT_TRUE(r->status == 401 || r->status == 429) << r->body;
    ++(r->status == 401 ? logins_failed : logins_limited);
  }
  ASSERT_EQ(logins_limited, 2);
  ASSERT_GE(logins_failed, 2);
  EXPECT_EQ(m.verify_ledger(), 0);

  m.server().signal(SIGTERM);
  ASSERT_EQ(m.server().wait_exit(10s), 0);
  std::vector<object> lines;
  for (auto& line : log_lines(m.server().stdout_text()))
    if (line["msg"] == "metrics") lines.push_back(line);
  ASSERT_EQ(lines.size(), 1u) << "one line per interval (1h), written at exit";
  auto& line = lines.front();

  // Every value is declared under _aws, with a unit; the namespace and dimension as the request metrics'.
  const auto& directive = line["_aws"].as_object()["CloudWatchMetrics"].as_array()[0].as_object();
  EXPECT_EQ(directive.at("Namespace").as_string(), "Bet2wealth");
  std::set<std::string> declared;
  for (const auto& d : directive.at("Metrics").as_array()) {
    declared.insert(std::string(d.as_object().at("Name").as_string()));
    EXPECT_TRUE(d.as_object().contains("Unit"));
  }
  EXPECT_LE(declared.size(), 100u) << "EMF's limit of metrics per directive";

  const std::vector<std::pair<std::string, std::int64_t>> expected{
      {"BetsPlaced", 2},
      {"BetsPlacedStake", 30'000},
      {"BetsSettled", 2},
      {"BetsSettledStake", 30'000},
      {"BetsSettledPayout", 21'000},
      {"GGR", 9'000},  // 30,000 staked, 21,000 paid back
      {"DepositsRequested", 2},
      {"DepositsRequestedAmount", 100'777},
      {"DepositsCompleted", 1},
      {"DepositsCompletedAmount", 100'000},
      {"DepositsFailed", 1},
      {"DepositsFailedAmount", 777},
      {"WithdrawalsRequested", 1},
      {"WithdrawalsRequestedAmount", 20'001},
      {"WithdrawalsCompleted", 1},
      {"WithdrawalsCompletedAmount", 20'001},
      {"WithdrawalsFailed", 0},
      {"WithdrawalsFailedAmount", 0},
      {"WebhooksAccepted", 2},  // the charge.success and the fake's transfer.success
      {"WebhooksDuplicate", 1},
      {"WebhooksBadSignature", 1},
      {"CasinoCallbacks", 0},
      {"LoginsSucceeded", logins_ok},
      {"LoginsFailed", logins_failed},
      {"LoginsLimited", logins_limited},
      {"UnavailableDatabase", 0},
      {"UnavailableCache", 0},
      {"UnavailableBlockingPool", 0},
      {"DatabasePoolExhausted", 0},
      {"ReconciliationMismatches", 0},
  };
  for (const auto& [name, value] : expected) {
    EXPECT_TRUE(declared.contains(name)) << name;
    ASSERT_TRUE(line.contains(name)) << name << " in " << boost::json::serialize(line);
    EXPECT_EQ(line[name].as_int64(), value) << name;
  }
  // argon2 ran on the blocking pool for every login: its depth was seen at least at 1.
  ASSERT_TRUE(line.contains("BlockingPoolQueueDepth"));
  EXPECT_GE(line["BlockingPoolQueueDepth"].as_int64(), 1);
}
