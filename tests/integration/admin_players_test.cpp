// Player administration through the real binary (support's duty): finding players, their full picture, locking
// and unlocking with a reason (a locked player signs in no way), and lowering a player's limits, all audited.
#include <gtest/gtest.h>

#include "money_server.hpp"

using namespace b2w::test;
using boost::json::object;

namespace {

std::string id_of(const HttpResponse& r) {
  return std::string(json_of(r)["user"].as_object()["id"].as_string());
}

std::optional<HttpResponse> register_player(Money& m, const std::string& email, const std::string& phone) {
  return m.post("/api/v1/auth/register",
                {{"email", email}, {"password", "money-pass-1"}, {"phone", phone}, {"date_of_birth", "1990-06-15"}}, "",
                "");
}

TEST(AdminPlayers, SupportFindsPlayersByEmailPhoneOrIdInPages) {
  Money m;
  const auto support = m.staff("support.desk@example.ng", "support");
  const auto trader = m.staff("trader.desk@example.ng", "trader");
  auto ada = register_player(m, "ada.search@example.ng", "08031110001");
  ASSERT_TRUE(ada && ada->status == 201);
  ASSERT_EQ(register_player(m, "ada.second@example.ng", "08031110002")->status, 201);
  ASSERT_EQ(register_player(m, "ada.third@example.ng", "08031110003")->status, 201);
  ASSERT_EQ(register_player(m, "bola@example.ng", "08031110004")->status, 201);

  auto first = m.get_auth("/api/v1/admin/users?q=ADA.&limit=2", support);
  ASSERT_TRUE(first && first->status == 200) << (first ? first->body : "");
  auto page = json_of(*first);
  ASSERT_EQ(page["data"].as_array().size(), 2u);
  ASSERT_TRUE(page["next_cursor"].is_string());
  auto second =
      m.get_auth("/api/v1/admin/users?q=ada.&limit=2&cursor=" + std::string(page["next_cursor"].as_string()), support);
  ASSERT_TRUE(second && second->status == 200);
  EXPECT_EQ(json_of(*second)["data"].as_array().size(), 1u);
  EXPECT_TRUE(json_of(*second)["next_cursor"].is_null());

  auto by_phone = json_of(*m.get_auth("/api/v1/admin/users?q=0803%20111%200004", support));
  ASSERT_EQ(by_phone["data"].as_array().size(), 1u);
  EXPECT_EQ(by_phone["data"].as_array()[0].as_object()["email"].as_string(), "bola@example.ng");
  auto by_id = json_of(*m.get_auth("/api/v1/admin/users?q=" + id_of(*ada), support));
  ASSERT_EQ(by_id["data"].as_array().size(), 1u);
  EXPECT_EQ(by_id["data"].as_array()[0].as_object()["kyc_tier"].as_int64(), 0);
  auto wildcard = json_of(*m.get_auth("/api/v1/admin/users?q=%25", support));
  EXPECT_TRUE(wildcard["data"].as_array().empty()) << "LIKE's wildcards in a query are plain characters";
  EXPECT_EQ(m.get_auth("/api/v1/admin/users?q=", support)->status, 422);
  EXPECT_EQ(m.get_auth("/api/v1/admin/users?q=ada", trader)->status, 403) << "not a trader's duty";
  EXPECT_EQ(m.get_auth("/api/v1/admin/users?q=ada", m.user("nosy.player@example.ng"))->status, 403);
}

TEST(AdminPlayers, DetailShowsWalletEntriesLimitsAndExclusion) {
  Money m;
  const auto support = m.staff("support.detail@example.ng", "support");
  const auto token = m.user("detail.player@example.ng");
  m.fund(token, 40000, "dep-detail");
  ASSERT_EQ(m.call("PUT", "/api/v1/users/me/limits",
                   {{"limits", boost::json::array{object{{"kind", "deposit"}, {"period", "week"}, {"amount", 90000}}}}},
                   token, "")
                ->status,
            200);
  const std::string id(json_of(*m.get_auth("/api/v1/users/me", token))["id"].as_string());
  auto r = m.get_auth("/api/v1/admin/users/" + id, support);
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "");
  auto d = json_of(*r);
  EXPECT_EQ(d["user"].as_object()["email"].as_string(), "detail.player@example.ng");
  EXPECT_FALSE(d["user"].as_object()["locked"].as_bool());
  EXPECT_EQ(d["wallet"].as_object()["balance"].as_int64(), 40000);
  ASSERT_EQ(d["recent_entries"].as_array().size(), 1u);
  EXPECT_EQ(d["recent_entries"].as_array()[0].as_object()["kind"].as_string(), "deposit");
  bool weekly = false;
  for (const auto& l : d["limits"].as_object()["limits"].as_array())
    weekly = weekly || (l.at("kind").as_string() == "deposit" && l.at("period").as_string() == "week" &&
                        l.at("amount").is_int64() && l.at("amount").as_int64() == 90000);
  EXPECT_TRUE(weekly);
  EXPECT_EQ(m.get_auth("/api/v1/admin/users/usr_nobody", support)->status, 404);
}

TEST(AdminPlayers, ALockedPlayerSignsInNoWayUntilUnlockedAndBothAreAudited) {
  Money m;
  const auto support = m.staff("support.lock@example.ng", "support");
  auto reg = register_player(m, "locked.player@example.ng", "08031110005");
  ASSERT_TRUE(reg && reg->status == 201);
  const std::string id = id_of(*reg);
  const auto refresh = json_of(*reg)["refresh_token"];
  const auto access = std::string(json_of(*reg)["access_token"].as_string());

  auto no_reason = m.post("/api/v1/admin/users/" + id + "/lock", object{}, support, "");
  ASSERT_TRUE(no_reason && no_reason->status == 422);
  auto locked = m.post("/api/v1/admin/users/" + id + "/lock", {{"reason", "chargeback fraud review"}}, support, "");
  ASSERT_TRUE(locked && locked->status == 200) << (locked ? locked->body : "");
  EXPECT_TRUE(json_of(*locked)["locked"].as_bool());

  auto login =
      m.post("/api/v1/auth/login", {{"email", "locked.player@example.ng"}, {"password", "money-pass-1"}}, "", "");
  ASSERT_TRUE(login && login->status == 403) << (login ? login->body : "");
  EXPECT_EQ(code_of(*login), "account_locked");
  EXPECT_EQ(m.post("/api/v1/auth/refresh", {{"refresh_token", refresh}}, "", "")->status, 401);
  EXPECT_EQ(m.post("/api/v1/wallet/deposits", {{"amount", 5000}}, access, "dep-locked")->status, 401)
      << "the lock revoked the tokens";

  ASSERT_EQ(m.post("/api/v1/admin/users/" + id + "/unlock", {{"reason", "review cleared"}}, support, "")->status, 200);
  auto again =
      m.post("/api/v1/auth/login", {{"email", "locked.player@example.ng"}, {"password", "money-pass-1"}}, "", "");
  ASSERT_TRUE(again && again->status == 200) << (again ? again->body : "");
  EXPECT_EQ(m.post("/api/v1/admin/users/usr_nobody/lock", {{"reason", "x"}}, support, "")->status, 404);

  const auto owner = m.admin("owner.audit@example.ng");
  auto trail = m.get_auth("/api/v1/admin/audit?entity=user:" + id, owner);
  ASSERT_TRUE(trail && trail->status == 200);
  const auto records = json_of(*trail);
  const auto& data = records.at("data").as_array();
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0].at("action").as_string(), "user.unlock");
  EXPECT_EQ(data[1].at("action").as_string(), "user.lock");
  EXPECT_EQ(data[1].at("actor_role").as_string(), "support");
  EXPECT_EQ(data[1].at("after").at("reason").as_string(), "chargeback fraud review");
}

TEST(AdminPlayers, AnOperatorLowersLimitsButNeverRaisesOrRemovesThem) {
  Money m(Env{{"PLAYER_LIMIT_COOLING_OFF", "1h"}});
  const auto support = m.staff("support.limits@example.ng", "support");
  const auto token = m.user("limited.by.support@example.ng");
  const std::string id(json_of(*m.get_auth("/api/v1/users/me", token))["id"].as_string());
  // The player asked for a raise that waits out its cooling-off.
  ASSERT_EQ(m.call("PUT", "/api/v1/users/me/limits",
                   {{"limits", boost::json::array{object{{"kind", "stake"}, {"period", "day"}, {"amount", 50000}}}}},
                   token, "")
                ->status,
            200);
  ASSERT_EQ(m.call("PUT", "/api/v1/users/me/limits",
                   {{"limits", boost::json::array{object{{"kind", "stake"}, {"period", "day"}, {"amount", 90000}}}}},
                   token, "")
                ->status,
            200);
  auto stake_day = [](const object& limits) {
    for (const auto& l : limits.at("limits").as_array())
      if (l.at("kind").as_string() == "stake" && l.at("period").as_string() == "day") return l.as_object();
    return object{};
  };
  auto higher = m.post("/api/v1/admin/users/" + id + "/limits",
                       {{"limits", boost::json::array{object{{"kind", "stake"}, {"period", "day"}, {"amount", 70000}}}},
                        {"reason", "affordability check"}},
                       support, "");
  ASSERT_TRUE(higher && higher->status == 200) << (higher ? higher->body : "");
  auto after_higher = stake_day(json_of(*higher));
  EXPECT_EQ(after_higher["amount"].as_int64(), 50000) << "never raised";
  EXPECT_TRUE(after_higher["pending"].is_null()) << "the player's pending raise above it is dropped";
  auto lower =
      m.post("/api/v1/admin/users/" + id + "/limits",
             {{"limits", boost::json::array{object{{"kind", "stake"}, {"period", "day"}, {"amount", 20000}},
                                            object{{"kind", "loss"}, {"period", "month"}, {"amount", 100000}}}},
              {"reason", "affordability check"}},
             support, "");
  ASSERT_TRUE(lower && lower->status == 200);
  EXPECT_EQ(stake_day(json_of(*lower))["amount"].as_int64(), 20000) << "lowered at once";
  auto removal =
      m.post("/api/v1/admin/users/" + id + "/limits",
             {{"limits", boost::json::array{object{{"kind", "stake"}, {"period", "day"}, {"amount", nullptr}}}},
              {"reason", "x"}},
             support, "");
  EXPECT_EQ(removal->status, 422);
  auto no_reason = m.post("/api/v1/admin/users/" + id + "/limits",
                          {{"limits", boost::json::array{object{{"kind", "stake"}, {"period", "day"}, {"amount", 1}}}}},
                          support, "");
  EXPECT_EQ(no_reason->status, 422);
}

}  // namespace
