// A player's own controls through the real binary: the date of birth (18+, required to deposit or bet) and
// time-outs and self-exclusion (deposits and bets refused until they end; withdrawals, sign-in and reading open).
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "money_server.hpp"
#include "pg_server.hpp"

using namespace b2w::test;
using boost::json::object;

namespace {

std::string born_years_ago(int years, int days_later = 0) {
  // A UTC date: Lagos is an hour ahead, so tests keep two days of margin either side of a birthday.
  const auto t = std::chrono::system_clock::now() + std::chrono::hours(24 * days_later);
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  tm.tm_year -= years;
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::optional<HttpResponse> register_with(Money& m, const std::string& email, const std::optional<std::string>& born) {
  object body{{"email", email}, {"password", "money-pass-1"}};
  if (born) body["date_of_birth"] = *born;
  return m.post("/api/v1/auth/register", body, "", "");
}

std::string token_of(const HttpResponse& r) {
  return std::string(json_of(r)["access_token"].as_string());
}

// One open market to bet on, two selections at odds 2.00, and the administrator who made it.
struct OpenMarket {
  std::string id, home, away, admin;
};

OpenMarket open_market(Money& m) {
  static int markets = 0;
  OpenMarket out;
  out.admin = m.admin("controls.admin" + std::to_string(++markets) + "@example.ng");
  auto event = m.post("/api/v1/admin/events",
                      {{"sport", "football"}, {"home", "Enyimba"}, {"away", "Rangers"}, {"starts_at", in_hours(3)}},
                      out.admin, "");
  EXPECT_TRUE(event && event->status == 201) << (event ? event->body : "");
  const std::string event_id(json_of(*event)["id"].as_string());
  boost::json::array selections{object{{"name", "Home"}, {"odds", "2.00"}}, object{{"name", "Away"}, {"odds", "2.00"}}};
  auto market = m.post("/api/v1/admin/events/" + event_id + "/markets", {{"name", "1X2"}, {"selections", selections}},
                       out.admin, "");
  EXPECT_TRUE(market && market->status == 201) << (market ? market->body : "");
  auto body = json_of(*market);
  out.id = std::string(body["id"].as_string());
  out.home = std::string(body["selections"].as_array()[0].as_object()["id"].as_string());
  out.away = std::string(body["selections"].as_array()[1].as_object()["id"].as_string());
  return out;
}

std::optional<HttpResponse> bet(Money& m, const std::string& token, const std::string& selection,
                                const std::string& key) {
  boost::json::array legs{object{{"selection_id", selection}, {"odds", "2.00"}}};
  return m.post("/api/v1/bets", {{"stake", 10000}, {"legs", legs}}, token, key);
}

TEST(PlayerControls, RegistrationTakesADateOfBirthAndRefusesMinors) {
  Money m;
  auto minor = register_with(m, "minor@example.ng", born_years_ago(18, 2));
  ASSERT_TRUE(minor && minor->status == 422) << (minor ? minor->body : "");
  EXPECT_EQ(code_of(*minor), "underage");
  for (const char* bad : {"2001-02-29", "15/06/1990", "1990-6-15", ""}) {
    auto r = register_with(m, "bad.date@example.ng", std::string(bad));
    ASSERT_TRUE(r && r->status == 422) << bad;
    EXPECT_EQ(code_of(*r), "validation_error") << bad;
  }
  // Nothing was created: the same address registers now.
  auto adult = register_with(m, "minor@example.ng", born_years_ago(18, -2));
  ASSERT_TRUE(adult && adult->status == 201) << (adult ? adult->body : "");
  EXPECT_EQ(json_of(*adult)["user"].as_object()["date_of_birth"].as_string(), born_years_ago(18, -2));
  EXPECT_TRUE(json_of(*adult)["user"].as_object()["exclusion"].is_null());
}

TEST(PlayerControls, WithoutADateOfBirthNoDepositOrBetUntilItIsGivenOnce) {
  Money m;
  const auto selection = open_market(m).home;
  auto reg = register_with(m, "no.birthday@example.ng", std::nullopt);
  ASSERT_TRUE(reg && reg->status == 201);
  const auto token = token_of(*reg);
  auto deposit = m.post("/api/v1/wallet/deposits", {{"amount", 5000}}, token, "dep-no-dob");
  ASSERT_TRUE(deposit && deposit->status == 403) << (deposit ? deposit->body : "");
  EXPECT_EQ(code_of(*deposit), "date_of_birth_required");
  auto refused_bet = bet(m, token, selection, "bet-no-dob");
  ASSERT_TRUE(refused_bet && refused_bet->status == 403) << (refused_bet ? refused_bet->body : "");
  EXPECT_EQ(code_of(*refused_bet), "date_of_birth_required");

  auto minor = m.call("PATCH", "/api/v1/users/me", {{"date_of_birth", born_years_ago(17)}}, token, "");
  ASSERT_TRUE(minor && minor->status == 422);
  EXPECT_EQ(code_of(*minor), "underage");
  auto other_field =
      m.call("PATCH", "/api/v1/users/me", {{"date_of_birth", "1990-06-15"}, {"role", "admin"}}, token, "");
  ASSERT_TRUE(other_field && other_field->status == 422) << "only the date of birth is changed here";
  auto set = m.call("PATCH", "/api/v1/users/me", {{"date_of_birth", "1990-06-15"}}, token, "");
  ASSERT_TRUE(set && set->status == 200) << (set ? set->body : "");
  EXPECT_EQ(json_of(*set)["date_of_birth"].as_string(), "1990-06-15");
  auto again = m.call("PATCH", "/api/v1/users/me", {{"date_of_birth", "1991-01-01"}}, token, "");
  ASSERT_TRUE(again && again->status == 409);
  EXPECT_EQ(code_of(*again), "date_of_birth_set");

  m.fund(token, 50000, "dep-after-dob");
  auto placed = bet(m, token, selection, "bet-after-dob");
  ASSERT_TRUE(placed && placed->status == 201) << (placed ? placed->body : "");
  EXPECT_EQ(m.verify_ledger(), 0);
}

TEST(PlayerControls, AnExclusionRefusesDepositsAndBetsButNotWithdrawalsAndOnlyGrows) {
  Money m;
  const auto selection = open_market(m).home;
  const auto token = m.user("time.out@example.ng");
  m.fund(token, 50000, "dep-before");
  ASSERT_EQ(bet(m, token, selection, "bet-before")->status, 201);

  auto bad = m.post("/api/v1/users/me/self-exclusion", {{"period", "2d"}}, token, "");
  ASSERT_TRUE(bad && bad->status == 422);
  auto week = m.post("/api/v1/users/me/self-exclusion", {{"period", "7d"}}, token, "");
  ASSERT_TRUE(week && week->status == 200) << (week ? week->body : "");
  auto exclusion = json_of(*week)["exclusion"].as_object();
  EXPECT_EQ(exclusion["period"].as_string(), "7d");
  EXPECT_EQ(exclusion["kind"].as_string(), "time_out");
  EXPECT_FALSE(exclusion["permanent"].as_bool());
  const std::string until(exclusion["until"].as_string());
  // A shorter period while a longer one runs changes nothing: it cannot be lifted early.
  auto day = m.post("/api/v1/users/me/self-exclusion", {{"period", "24h"}}, token, "");
  ASSERT_TRUE(day && day->status == 200);
  EXPECT_EQ(json_of(*day)["exclusion"].as_object()["until"].as_string(), until);
  EXPECT_EQ(json_of(*day)["exclusion"].as_object()["period"].as_string(), "7d");

  auto deposit = m.post("/api/v1/wallet/deposits", {{"amount", 5000}}, token, "dep-excluded");
  ASSERT_TRUE(deposit && deposit->status == 403) << (deposit ? deposit->body : "");
  EXPECT_EQ(code_of(*deposit), "self_excluded");
  auto refused = bet(m, token, selection, "bet-excluded");
  ASSERT_TRUE(refused && refused->status == 403);
  EXPECT_EQ(code_of(*refused), "self_excluded");
  // Reading, signing in and withdrawing stay open.
  EXPECT_EQ(m.get_auth("/api/v1/wallet", token)->status, 200);
  EXPECT_EQ(
      m.post("/api/v1/auth/login", {{"email", "time.out@example.ng"}, {"password", "money-pass-1"}}, "", "")->status,
      200);
  auto withdrawal = m.post("/api/v1/wallet/withdrawals", m.withdrawal(token, 10000), token, "wd-ex");
  ASSERT_TRUE(withdrawal && withdrawal->status == 201) << (withdrawal ? withdrawal->body : "");

  auto permanent = m.post("/api/v1/users/me/self-exclusion", {{"period", "permanent"}}, token, "");
  ASSERT_TRUE(permanent && permanent->status == 200);
  auto forever = json_of(*permanent)["exclusion"].as_object();
  EXPECT_TRUE(forever["permanent"].as_bool());
  EXPECT_TRUE(forever["until"].is_null());
  EXPECT_EQ(forever["kind"].as_string(), "self_exclusion");
  bool shown = false;  // /users/me caches for a second
  for (int i = 0; i < 40 && !shown; ++i) {
    auto me = m.get_auth("/api/v1/users/me", token);
    shown = me && me->status == 200 && json_of(*me)["exclusion"].is_object() &&
            json_of(*me)["exclusion"].as_object()["permanent"].as_bool();
    if (!shown) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(shown);
  EXPECT_EQ(m.verify_ledger(), 0);
}

TEST(PlayerControls, ActivityShowsDepositsStakesReturnsAndNetForThePeriod) {
  Money m;
  const auto market = open_market(m);
  const auto token = m.user("reality.check@example.ng");
  m.fund(token, 50000, "dep-activity");
  ASSERT_EQ(bet(m, token, market.home, "bet-won")->status, 201);
  ASSERT_EQ(bet(m, token, market.away, "bet-lost")->status, 201);
  auto settled = m.post("/api/v1/admin/markets/" + market.id + "/settle",
                        {{"results", object{{market.home, "won"}, {market.away, "lost"}}}}, market.admin, "");
  ASSERT_TRUE(settled && settled->status == 200) << (settled ? settled->body : "");
  ASSERT_EQ(m.post("/api/v1/wallet/withdrawals", m.withdrawal(token, 5000), token, "wd-activity")->status, 201);
  auto day = m.get_auth("/api/v1/users/me/activity?period=day", token);
  ASSERT_TRUE(day && day->status == 200) << (day ? day->body : "");
  auto a = json_of(*day);
  EXPECT_EQ(a["period"].as_string(), "day");
  EXPECT_EQ(a["deposits"].as_int64(), 50000);
  EXPECT_EQ(a["stakes"].as_int64(), 20000);
  EXPECT_EQ(a["returns"].as_int64(), 20000) << "the winning bet paid 2.00 x 10,000";
  EXPECT_EQ(a["net"].as_int64(), 0);
  EXPECT_EQ(a["withdrawals"].as_int64(), 5000);
  EXPECT_EQ(json_of(*m.get_auth("/api/v1/users/me/activity", token))["period"].as_string(), "month") << "the default";
  auto bad = m.get_auth("/api/v1/users/me/activity?period=fortnight", token);
  ASSERT_TRUE(bad && bad->status == 422);
  // Someone else's activity is their own.
  const auto other = m.user("someone.else@example.ng");
  EXPECT_EQ(json_of(*m.get_auth("/api/v1/users/me/activity?period=day", other))["stakes"].as_int64(), 0);
}

}  // namespace

namespace {

object limits_of(Money& m, const std::string& token) {
  auto r = m.get_auth("/api/v1/users/me/limits", token);
  EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "");
  return json_of(*r);
}

object limit_entry(const object& limits, const std::string& kind, const std::string& period) {
  for (const auto& l : limits.at("limits").as_array())
    if (l.at("kind").as_string() == kind && l.at("period").as_string() == period) return l.as_object();
  return {};
}

std::optional<HttpResponse> put_limits(Money& m, const std::string& token, const boost::json::array& limits) {
  return m.call("PUT", "/api/v1/users/me/limits", {{"limits", limits}}, token, "");
}

TEST(PlayerLimits, LowerAtOnceHigherAfterTheCoolingOff) {
  Money m(Env{{"PLAYER_LIMIT_COOLING_OFF", "3s"}});
  const auto token = m.user("limits.cooling@example.ng");
  auto empty = limits_of(m, token);
  EXPECT_EQ(empty["limits"].as_array().size(), 9u);
  EXPECT_EQ(empty["cooling_off_seconds"].as_int64(), 3);
  EXPECT_TRUE(limit_entry(empty, "deposit", "day")["amount"].is_null());

  auto set = put_limits(m, token, {object{{"kind", "deposit"}, {"period", "day"}, {"amount", 100000}}});
  ASSERT_TRUE(set && set->status == 200) << (set ? set->body : "");
  EXPECT_EQ(limit_entry(json_of(*set), "deposit", "day")["amount"].as_int64(), 100000) << "a first limit: at once";
  auto raised = put_limits(m, token, {object{{"kind", "deposit"}, {"period", "day"}, {"amount", 300000}}});
  ASSERT_TRUE(raised && raised->status == 200);
  auto entry = limit_entry(json_of(*raised), "deposit", "day");
  EXPECT_EQ(entry["amount"].as_int64(), 100000) << "a raise waits";
  ASSERT_TRUE(entry["pending"].is_object());
  EXPECT_EQ(entry["pending"].as_object()["amount"].as_int64(), 300000);
  // Meanwhile the lower limit holds.
  auto over = m.post("/api/v1/wallet/deposits", {{"amount", 150000}}, token, "dep-over");
  ASSERT_TRUE(over && over->status == 422) << (over ? over->body : "");
  EXPECT_EQ(code_of(*over), "limit_exceeded");
  auto detail = json_of(*over)["error"].as_object()["details"].as_array()[0].as_object();
  EXPECT_EQ(detail["kind"].as_string(), "deposit");
  EXPECT_EQ(detail["remaining"].as_int64(), 100000);
  // After the cooling-off the raise is in force (a wide margin: 3 s cooling-off, checked up to 20 s).
  bool raised_in_force = false;
  for (int i = 0; i < 200 && !raised_in_force; ++i) {
    raised_in_force = limit_entry(limits_of(m, token), "deposit", "day")["amount"].as_int64() == 300000;
    if (!raised_in_force) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(raised_in_force);
  auto fits = m.post("/api/v1/wallet/deposits", {{"amount", 150000}}, token, "dep-fits");
  ASSERT_TRUE(fits && fits->status == 201) << (fits ? fits->body : "");
  // Lowering applies at once; removing waits.
  auto lowered = put_limits(m, token,
                            {object{{"kind", "deposit"}, {"period", "day"}, {"amount", 150000}},
                             object{{"kind", "stake"}, {"period", "week"}, {"amount", 20000}}});
  ASSERT_TRUE(lowered && lowered->status == 200);
  EXPECT_EQ(limit_entry(json_of(*lowered), "deposit", "day")["amount"].as_int64(), 150000);
  auto full = m.post("/api/v1/wallet/deposits", {{"amount", 1}}, token, "dep-full");
  ASSERT_TRUE(full && full->status == 422) << "pending deposits count against the window";
  auto removed = put_limits(m, token, {object{{"kind", "deposit"}, {"period", "day"}, {"amount", nullptr}}});
  auto removal = limit_entry(json_of(*removed), "deposit", "day");
  EXPECT_EQ(removal["amount"].as_int64(), 150000);
  EXPECT_TRUE(removal["pending"].as_object()["amount"].is_null()) << "a removal is pending too";

  for (const auto& bad : {boost::json::array{object{{"kind", "win"}, {"period", "day"}, {"amount", 1}}},
                          boost::json::array{object{{"kind", "stake"}, {"period", "year"}, {"amount", 1}}},
                          boost::json::array{object{{"kind", "stake"}, {"period", "day"}, {"amount", 0}}},
                          boost::json::array{object{{"kind", "stake"}, {"period", "day"}, {"amount", "5"}}},
                          boost::json::array{object{{"kind", "stake"}, {"period", "day"}}}, boost::json::array{}}) {
    auto r = put_limits(m, token, bad);
    ASSERT_TRUE(r && r->status == 422) << boost::json::serialize(bad) << ": " << (r ? r->body : "");
  }
}

// Many bets at once against a stake limit that fits exactly some of them: exactly that many pass.
TEST(PlayerLimits, ParallelBetsPassAStakeLimitExactlyAndNeverMore) {
  Money m;
  const auto market = open_market(m);
  const auto token = m.user("limits.race@example.ng");
  m.fund(token, 1'000'000, "dep-race");
  ASSERT_EQ(put_limits(m, token, {object{{"kind", "stake"}, {"period", "day"}, {"amount", 70000}}})->status, 200);
  std::atomic<int> placed{0}, limited{0}, other{0};
  std::vector<std::thread> punters;
  for (int i = 0; i < 16; ++i)
    punters.emplace_back([&, i] {
      auto r = bet(m, token, market.home, "race-" + std::to_string(i));
      if (r && r->status == 201)
        ++placed;
      else if (r && r->status == 422 && code_of(*r) == "limit_exceeded")
        ++limited;
      else
        ++other;
    });
  for (auto& t : punters) t.join();
  EXPECT_EQ(placed.load(), 7) << "70,000 fits seven stakes of 10,000";
  EXPECT_EQ(limited.load(), 9);
  EXPECT_EQ(other.load(), 0);
  auto activity = json_of(*m.get_auth("/api/v1/users/me/activity?period=day", token));
  EXPECT_EQ(activity["stakes"].as_int64(), 70000);
  EXPECT_EQ(m.verify_ledger(), 0);
}

TEST(PlayerLimits, ALossLimitCountsStakesLessReturns) {
  Money m;
  const auto market = open_market(m);
  const auto token = m.user("limits.loss@example.ng");
  m.fund(token, 1'000'000, "dep-loss");
  ASSERT_EQ(put_limits(m, token, {object{{"kind", "loss"}, {"period", "week"}, {"amount", 20000}}})->status, 200);
  ASSERT_EQ(bet(m, token, market.home, "loss-1")->status, 201);
  ASSERT_EQ(bet(m, token, market.away, "loss-2")->status, 201);
  auto third = bet(m, token, market.home, "loss-3");
  ASSERT_TRUE(third && third->status == 422) << "20,000 open counts as lost until settled";
  EXPECT_EQ(code_of(*third), "limit_exceeded");
  auto settled = m.post("/api/v1/admin/markets/" + market.id + "/settle",
                        {{"results", object{{market.home, "won"}, {market.away, "lost"}}}}, market.admin, "");
  ASSERT_TRUE(settled && settled->status == 200);
  // Staked 20,000, returned 20,000: nothing lost, so the next stakes fit again.
  auto market2 = open_market(m);
  ASSERT_EQ(bet(m, token, market2.home, "loss-4")->status, 201);
  ASSERT_EQ(bet(m, token, market2.away, "loss-5")->status, 201);
  EXPECT_EQ(bet(m, token, market2.home, "loss-6")->status, 422);
}

// `attempts` requests at once; how many were answered 2xx and how many 422 limit_exceeded (anything else fails).
std::pair<int, int> race(int attempts, const std::function<std::optional<HttpResponse>(int)>& request) {
  std::atomic<int> passed{0}, limited{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < attempts; ++i)
    threads.emplace_back([&, i] {
      auto r = request(i);
      if (r && r->status / 100 == 2)
        ++passed;
      else if (r && r->status == 422 && code_of(*r) == "limit_exceeded")
        ++limited;
      else
        ADD_FAILURE() << (r ? r->body : "no answer");
    });
  for (auto& t : threads) t.join();
  return {passed.load(), limited.load()};
}

// On PostgreSQL, where requests really run side by side: parallel deposits against a deposit limit (pending ones
// count) and parallel bets against a loss limit pass exactly what the limit fits.
TEST(PlayerLimits, ParallelDepositsAndBetsPassDepositAndLossLimitsExactlyOnPostgresql) {
  PgServer pg;
  pg.create_database("limits");
  Money m(Env{{"DATABASE_URL", pg.url("limits")}, {"DB_POOL_MAX", "20"}, {"DB_ACQUIRE_TIMEOUT", "60s"}});
  const auto market = open_market(m);
  const auto depositor = m.user("limits.deposits@example.ng");
  ASSERT_EQ(put_limits(m, depositor, {object{{"kind", "deposit"}, {"period", "day"}, {"amount", 50000}}})->status, 200);
  const auto deposits = race(12, [&](int i) {
    return m.post("/api/v1/wallet/deposits", {{"amount", 10000}}, depositor, "race-dep-" + std::to_string(i));
  });
  EXPECT_EQ(deposits.first, 5) << "50,000 fits five pending deposits of 10,000";
  EXPECT_EQ(deposits.second, 7);

  const auto punter = m.user("limits.losses@example.ng");
  m.fund(punter, 1'000'000, "dep-losses");
  ASSERT_EQ(put_limits(m, punter, {object{{"kind", "loss"}, {"period", "day"}, {"amount", 60000}}})->status, 200);
  const auto bets = race(16, [&](int i) { return bet(m, punter, market.home, "race-loss-" + std::to_string(i)); });
  EXPECT_EQ(bets.first, 6) << "open stakes count as lost: 60,000 fits six of 10,000";
  EXPECT_EQ(bets.second, 10);
  auto activity = json_of(*m.get_auth("/api/v1/users/me/activity?period=day", punter));
  EXPECT_EQ(activity["stakes"].as_int64(), 60000);
  EXPECT_EQ(m.verify_ledger(), 0);
}

}  // namespace

namespace {

TEST(PlayerControls, EveryChangeOfAPlayersControlsIsInTheAuditTrail) {
  Money m;
  auto reg = register_with(m, "audited.player@example.ng", std::nullopt);
  ASSERT_TRUE(reg && reg->status == 201);
  const auto token = token_of(*reg);
  const std::string user_id(json_of(*reg)["user"].as_object()["id"].as_string());
  ASSERT_EQ(m.call("PATCH", "/api/v1/users/me", {{"date_of_birth", "1990-06-15"}}, token, "")->status, 200);
  ASSERT_EQ(m.post("/api/v1/users/me/self-exclusion", {{"period", "7d"}}, token, "")->status, 200);
  ASSERT_EQ(m.post("/api/v1/users/me/self-exclusion", {{"period", "24h"}}, token, "")->status, 200);  // no change
  ASSERT_EQ(m.call("PUT", "/api/v1/users/me/limits",
                   {{"limits", boost::json::array{object{{"kind", "loss"}, {"period", "month"}, {"amount", 90000}}}}},
                   token, "")
                ->status,
            200);
  const auto admin = m.admin("audit.reader@example.ng");
  auto page = m.get_auth("/api/v1/admin/audit?entity=user:" + user_id, admin);
  ASSERT_TRUE(page && page->status == 200) << (page ? page->body : "");
  std::vector<std::string> actions;
  const auto records = json_of(*page);  // kept: the loop reads into it
  for (const auto& r : records.at("data").as_array()) {
    const auto& record = r.as_object();
    actions.emplace_back(record.at("action").as_string());
    EXPECT_EQ(record.at("actor_id").as_string(), user_id);
    EXPECT_EQ(record.at("actor_role").as_string(), "user");
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"player.limits", "player.exclude", "player.date_of_birth"}))
      << "newest first; a request that changed nothing records nothing";
  EXPECT_EQ(run_binary(m.env(), {"audit", "verify"}, std::chrono::seconds(20)).status, 0);
}

}  // namespace
