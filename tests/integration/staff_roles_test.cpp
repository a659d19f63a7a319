// Staff roles on the real binary: each admin route admits its duty's role (and superadmin), a superadmin
// manages staff through POST /admin/staff and the CLI, nobody changes their own role, a change revokes.
#include <gtest/gtest.h>

#include "harness.hpp"
#include "money_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::object;

namespace {

constexpr const char* kStaff = "/api/v1/admin/staff";

std::string field(const HttpResponse& r, const char* name) {
  return std::string(json_of(r)[name].as_string());
}

// "<status> <error code>", or "<status>" for a success: one string to compare.
std::string outcome(const std::optional<HttpResponse>& r) {
  if (!r) return "no response";
  if (r->status < 400) return std::to_string(r->status);
  return std::to_string(r->status) + " " + code_of(*r);
}

std::string in_two_hours() {
  const std::time_t secs = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + 2h);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<HttpResponse> create_event(Money& m, const std::string& token) {
  return m.post("/api/v1/admin/events",
                {{"sport", "football"}, {"home", "Enyimba"}, {"away", "Rangers"}, {"starts_at", in_two_hours()}}, token,
                "");
}

std::string login(Money& m, const std::string& email, const std::string& password) {
  auto r = m.post("/api/v1/auth/login", {{"email", email}, {"password", password}}, "", "");
  EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "");
  return r && r->status == 200 ? field(*r, "access_token") : "";
}

}  // namespace

TEST(StaffRoles, EachDeskReachesItsOwnRoutesOnly) {
  Money m(Env{{"WITHDRAWAL_REVIEW_THRESHOLD", "1000"}});
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto trader = m.staff("trader@bet2wealth.co", "trader");
  const auto finance = m.staff("finance@bet2wealth.co", "finance");
  const auto support = m.staff("support@bet2wealth.co", "support");

  // Events and markets are the trader's.
  auto event = create_event(m, trader);
  ASSERT_EQ(outcome(event), "201") << event->body;
  EXPECT_EQ(outcome(create_event(m, finance)), "403 forbidden");
  EXPECT_EQ(outcome(create_event(m, support)), "403 forbidden");
  const boost::json::array selections{object{{"name", "Home"}, {"odds", "1.90"}},
                                      object{{"name", "Away"}, {"odds", "2.10"}}};
  auto market = m.post("/api/v1/admin/events/" + field(*event, "id") + "/markets",
                       {{"name", "Winner"}, {"selections", selections}}, trader, "");
  ASSERT_EQ(outcome(market), "201") << market->body;
  const auto market_json = json_of(*market);
  const auto& picks = market_json.at("selections").as_array();
  const object results{{std::string(picks[0].as_object().at("id").as_string()), "won"},
                       {std::string(picks[1].as_object().at("id").as_string()), "lost"}};
  const std::string settle = "/api/v1/admin/markets/" + std::string(market_json.at("id").as_string()) + "/settle";
  EXPECT_EQ(outcome(m.post(settle, {{"results", results}}, support, "")), "403 forbidden") << "support cannot settle";
  EXPECT_EQ(outcome(m.post(settle, {{"results", results}}, finance, "")), "403 forbidden");
  EXPECT_EQ(outcome(m.post(settle, {{"results", results}}, trader, "")), "200");

  // Withdrawal review and casino reports are finance's.
  const auto player = m.user("whale@example.ng");
  m.fund(player, 50000, "fund-1");
  auto withdrawal = m.post("/api/v1/wallet/withdrawals", m.withdrawal(player, 5000), player, "w-1");
  ASSERT_EQ(outcome(withdrawal), "201") << withdrawal->body;
  ASSERT_EQ(field(*withdrawal, "status"), "awaiting_review");
  const std::string approve = "/api/v1/admin/withdrawals/" + field(*withdrawal, "id") + "/approve";
  EXPECT_EQ(outcome(m.post(approve, {}, trader, "")), "403 forbidden") << "a trader cannot approve a payout";
  EXPECT_EQ(outcome(m.post(approve, {}, support, "")), "403 forbidden");
  EXPECT_EQ(outcome(m.get_auth("/api/v1/admin/withdrawals", trader)), "403 forbidden");
  const std::string summary = "/api/v1/admin/casino/summary?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z";
  EXPECT_EQ(outcome(m.get_auth(summary, trader)), "403 forbidden");
  EXPECT_EQ(outcome(m.get_auth("/api/v1/admin/withdrawals", finance)), "200");
  EXPECT_EQ(outcome(m.get_auth(summary, finance)), "200");
  auto approved = m.post(approve, {}, finance, "");
  ASSERT_EQ(outcome(approved), "200") << approved->body;
  EXPECT_EQ(field(*approved, "status"), "pending");

  // Staff accounts are the superadmin's alone.
  for (const auto* token : {&trader, &finance, &support}) {
    EXPECT_EQ(outcome(m.get_auth(kStaff, *token)), "403 forbidden");
    EXPECT_EQ(outcome(m.post(kStaff, {{"email", "whale@example.ng"}, {"role", "trader"}}, *token, "")),
              "403 forbidden");
  }
  // A superadmin is admitted everywhere.
  const auto boss = m.admin("boss@bet2wealth.co");
  EXPECT_EQ(outcome(create_event(m, boss)), "201");
  EXPECT_EQ(outcome(m.get_auth("/api/v1/admin/withdrawals", boss)), "200");
  EXPECT_EQ(outcome(m.get_auth(kStaff, boss)), "200");
  EXPECT_EQ(m.verify_ledger(), 0);
}

TEST(StaffRoles, ASuperadminManagesStaffAndARoleChangeRevokesTheOldTokens) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto boss = m.admin("boss@bet2wealth.co");
  const auto old_token = m.user("rising@example.ng");
  EXPECT_EQ(outcome(create_event(m, old_token)), "403 forbidden");

  auto made = m.post(kStaff, {{"email", "Rising@Example.ng"}, {"role", "trader"}}, boss, "");
  ASSERT_EQ(outcome(made), "200") << made->body;
  auto change = json_of(*made);
  EXPECT_EQ(change["user"].as_object()["role"].as_string(), "trader");
  EXPECT_EQ(change["previous_role"].as_string(), "user");
  EXPECT_TRUE(change["changed"].as_bool());
  // The token issued before the change ends at once, on admin and money routes alike.
  EXPECT_EQ(outcome(create_event(m, old_token)), "401 token_revoked");
  EXPECT_EQ(outcome(m.post("/api/v1/wallet/deposits", {{"amount", 10000}}, old_token, "d-1")), "401 token_revoked");
  const auto trader = login(m, "rising@example.ng", "money-pass-1");
  EXPECT_EQ(outcome(create_event(m, trader)), "201");

  // The same role again changes nothing and revokes nothing.
  auto same = m.post(kStaff, {{"email", "rising@example.ng"}, {"role", "trader"}}, boss, "");
  ASSERT_EQ(outcome(same), "200");
  EXPECT_FALSE(json_of(*same)["changed"].as_bool());
  EXPECT_EQ(outcome(create_event(m, trader)), "201");

  auto listed = m.get_auth(kStaff, boss);
  ASSERT_EQ(outcome(listed), "200");
  auto staff = json_of(*listed);
  ASSERT_EQ(staff["data"].as_array().size(), 2u) << listed->body;
  EXPECT_EQ(staff["data"].as_array()[0].as_object().at("email").as_string(), "boss@bet2wealth.co");
  EXPECT_EQ(staff["data"].as_array()[1].as_object().at("role").as_string(), "trader");
  EXPECT_TRUE(staff["next_cursor"].is_null());

  // Refusals: a bad role or email, an unknown account.
  EXPECT_EQ(outcome(m.post(kStaff, {{"email", "rising@example.ng"}, {"role", "admin"}}, boss, "")),
            "422 validation_error");
  EXPECT_EQ(outcome(m.post(kStaff, {{"role", "trader"}}, boss, "")), "422 validation_error");
  EXPECT_EQ(outcome(m.post(kStaff, {{"email", "nobody@example.ng"}, {"role", "trader"}}, boss, "")),
            "404 user_not_found");

  // Back to a player: the trader's token ends, and signed in again they are refused as a player.
  EXPECT_EQ(outcome(m.post(kStaff, {{"email", "rising@example.ng"}, {"role", "user"}}, boss, "")), "200");
  EXPECT_EQ(outcome(create_event(m, trader)), "401 token_revoked");
  EXPECT_EQ(outcome(create_event(m, login(m, "rising@example.ng", "money-pass-1"))), "403 forbidden");
}

TEST(StaffRoles, NobodyChangesTheirOwnRole) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto boss = m.admin("boss@bet2wealth.co");
  m.user("deputy@bet2wealth.co");
  ASSERT_EQ(outcome(m.post(kStaff, {{"email", "deputy@bet2wealth.co"}, {"role", "superadmin"}}, boss, "")), "200");
  const auto deputy = login(m, "deputy@bet2wealth.co", "money-pass-1");
  for (const char* role : {"user", "trader", "superadmin"}) {
    EXPECT_EQ(outcome(m.post(kStaff, {{"email", "boss@bet2wealth.co"}, {"role", role}}, boss, "")), "403 own_role")
        << role;
    EXPECT_EQ(outcome(m.post(kStaff, {{"email", "deputy@bet2wealth.co"}, {"role", role}}, deputy, "")), "403 own_role")
        << role;
  }
  // Nothing changed, nothing was revoked.
  EXPECT_EQ(outcome(m.get_auth(kStaff, boss)), "200");
  EXPECT_EQ(outcome(m.get_auth(kStaff, deputy)), "200");
  // A staff member below superadmin cannot raise themselves either: the route does not admit them.
  const auto trader = m.staff("trader@bet2wealth.co", "trader");
  EXPECT_EQ(outcome(m.post(kStaff, {{"email", "trader@bet2wealth.co"}, {"role", "superadmin"}}, trader, "")),
            "403 forbidden");
  // One superadmin may change another's.
  EXPECT_EQ(outcome(m.post(kStaff, {{"email", "boss@bet2wealth.co"}, {"role", "finance"}}, deputy, "")), "200");
  EXPECT_EQ(outcome(m.get_auth(kStaff, boss)), "401 token_revoked");
}

TEST(StaffRoles, APlayerIsRefusedEveryAdminRoute) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto player = m.user("player@example.ng");
  const std::vector<std::pair<std::string, std::string>> routes{{"GET", "/api/v1/admin/withdrawals"},
                                                                {"POST", "/api/v1/admin/withdrawals/pay_x/approve"},
                                                                {"POST", "/api/v1/admin/withdrawals/pay_x/reject"},
                                                                {"GET", "/api/v1/admin/casino/summary"},
                                                                {"POST", "/api/v1/admin/events"},
                                                                {"PATCH", "/api/v1/admin/events/evt_x"},
                                                                {"POST", "/api/v1/admin/events/evt_x/markets"},
                                                                {"PATCH", "/api/v1/admin/markets/mkt_x"},
                                                                {"POST", "/api/v1/admin/markets/mkt_x/settle"},
                                                                {"GET", "/api/v1/admin/staff"},
                                                                {"POST", "/api/v1/admin/staff"}};
  for (const auto& [method, path] : routes) {
    auto r = method == "GET" ? m.get_auth(path, player)
                             : m.call(method, path, {{"email", "player@example.ng"}, {"role", "superadmin"}}, player);
    EXPECT_EQ(outcome(r), "403 forbidden") << method << " " << path;
  }
}

TEST(StaffRoles, TheCliCreatesStaffWithARoleAndChangesRoles) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto trader = m.staff("desk@bet2wealth.co", "trader");
  EXPECT_EQ(outcome(create_event(m, trader)), "201");
  EXPECT_EQ(outcome(m.get_auth("/api/v1/admin/withdrawals", trader)), "403 forbidden");

  auto changed = run_binary(m.env(), {"admin", "role", "--email", "desk@bet2wealth.co", "--role", "finance"}, 10s);
  ASSERT_EQ(changed.status, 0) << changed.out << changed.err;
  EXPECT_EQ(outcome(m.get_auth("/api/v1/admin/withdrawals", trader)), "401 token_revoked");
  const auto finance = login(m, "desk@bet2wealth.co", "admin-pass-123");
  EXPECT_EQ(outcome(m.get_auth("/api/v1/admin/withdrawals", finance)), "200");
  EXPECT_EQ(outcome(create_event(m, finance)), "403 forbidden");

  // --promote with a role, on an existing account.
  m.user("helper@example.ng");
  auto promoted =
      run_binary(m.env(), {"admin", "create", "--email", "helper@example.ng", "--promote", "--role", "support"}, 10s);
  ASSERT_EQ(promoted.status, 0) << promoted.out << promoted.err;
  auto helper = m.post("/api/v1/auth/login", {{"email", "helper@example.ng"}, {"password", "money-pass-1"}}, "", "");
  ASSERT_EQ(outcome(helper), "200");
  EXPECT_EQ(json_of(*helper)["user"].as_object()["role"].as_string(), "support");

  // Refusals: an unknown or retired role, a role command without one, an unknown account.
  EXPECT_EQ(run_binary(m.env(), {"admin", "role", "--email", "desk@bet2wealth.co", "--role", "admin"}, 10s).status, 2);
  EXPECT_EQ(run_binary(m.env(), {"admin", "role", "--email", "desk@bet2wealth.co"}, 10s).status, 2);
  EXPECT_EQ(run_binary(m.env(), {"admin", "lock", "--email", "desk@bet2wealth.co", "--role", "user"}, 10s).status, 2);
  EXPECT_EQ(run_binary(m.env(), {"admin", "role", "--email", "ghost@bet2wealth.co", "--role", "trader"}, 10s).status,
            1);
}
