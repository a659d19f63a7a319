// In-play bets (issue 22) over HTTP on the real binary, on SQLite and on PostgreSQL: a bet on a live market
// answers 202 pending with its stake held, and after the acceptance delay is accepted or rejected (odds moved,
// bet_stop, market settled) with the stake returned exactly; a task's SIGKILL does not lose its pending bets;
// two tasks on one PostgreSQL finish each pending bet exactly once. `ledger verify` is clean after each.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <thread>

#include "feed_messages.hpp"
#include "harness.hpp"
#include "money_server.hpp"
#include "pg_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::array;
using boost::json::object;

namespace {

const std::string kFeedSecret = "inplay-test-secret-0123456789";

// One provider event with one 1X2 market ("1"), driven through the feed; `seq` follows its sequence.
struct LiveEvent {
  Money& m;
  std::string provider_id;
  std::int64_t seq = 0;
  std::string event_id;
  std::string market_id;
  std::vector<std::string> selections;  // home, draw, away

  object post(const array& messages) {
    const auto body = boost::json::serialize(object{{"messages", messages}});
    Client c(m.port(), 30s);
    auto r = c.request("POST", "/api/v1/feed/messages",
                       {{"Content-Type", "application/json"}, {"X-Feed-Signature", feed_signature(kFeedSecret, body)}},
                       body);
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    auto answer = r && r->status == 200 ? json_of(*r) : object{};
    EXPECT_EQ(answer.contains("applied") ? answer.at("applied").as_int64() : -1,
              static_cast<std::int64_t>(messages.size()))
        << boost::json::serialize(answer);
    return answer;
  }
  // Creates the event (live or not started) and its market at these odds.
  void create(const std::string& home, bool live, const std::string& odds_home) {
    auto fixture = feed_head("fixture_change", provider_id, ++seq);
    fixture["sport"] = "football";
    fixture["home"] = home;
    fixture["away"] = home + " Away";
    fixture["start_time"] = in_hours(live ? -1 : 3);
    fixture["status"] = live ? "live" : "not_started";
    post(array{fixture, odds_message(odds_home, "active", true)});
    auto events = json_of(*get(m.port(), "/api/v1/events?limit=100"));
    for (const auto& e : events.at("data").as_array())
      if (e.at("home").as_string() == home) event_id = std::string(e.at("id").as_string());
    ASSERT_FALSE(event_id.empty());
    auto e = json_of(*get(m.port(), "/api/v1/events/" + event_id));
    const auto& market = e.at("markets").as_array().at(0).as_object();
    market_id = std::string(market.at("id").as_string());
    EXPECT_EQ(market.at("live").as_bool(), live);
    for (const auto& s : market.at("selections").as_array())
      selections.push_back(std::string(s.as_object().at("id").as_string()));
  }
  object odds_message(const std::string& odds_home, const std::string& status = "active", bool named = false) {
    auto msg = feed_head("odds_change", provider_id, ++seq);
    object market{{"id", "1"}, {"status", status}};
    if (named) {
      market["name"] = "Match result";
      market["outcomes"] = array{feed_outcome("1", odds_home, "Home"), feed_outcome("X", "3.20", "Draw"),
                                 feed_outcome("2", "4.00", "Away")};
    } else {
      market["outcomes"] = array{feed_outcome("1", odds_home)};
    }
    msg["markets"] = array{market};
    return msg;
  }
  void move_odds(const std::string& odds_home) { post(array{odds_message(odds_home)}); }
  void bet_stop() { post(array{feed_head("bet_stop", provider_id, ++seq)}); }
  void settle_home_won() {
    auto msg = feed_head("bet_settlement", provider_id, ++seq);
    msg["markets"] = array{object{{"id", "1"}, {"winning", array{"1"}}}};
    post(array{msg});
  }
};

std::optional<HttpResponse> place(Money& m, const std::string& token, std::int64_t stake, const std::string& selection,
                                  const std::string& odds, const std::string& key, const std::string& policy = "none",
                                  int port = 0) {
  array legs{object{{"selection_id", selection}, {"odds", odds}}};
  object body{{"stake", stake}, {"legs", legs}, {"odds_change", policy}};
  return m.call_at(port ? port : m.port(), "POST", "/api/v1/bets", body, token, key);
}

// GET /bets/{id} until the bet is no longer pending (generous: a loaded machine, a restarting task).
object final_bet(Money& m, const std::string& token, const std::string& id, std::chrono::seconds timeout = 60s) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  object bet;
  while (std::chrono::steady_clock::now() < until) {
    auto r = m.get_auth("/api/v1/bets/" + id, token);
    if (r && r->status == 200) {
      bet = json_of(*r);
      if (bet.at("status").as_string() != "pending") return bet;
    }
    std::this_thread::sleep_for(50ms);
  }
  ADD_FAILURE() << "bet " << id << " still pending after " << timeout.count() << "s";
  return bet;
}

std::string id_of(const HttpResponse& r) {
  return std::string(json_of(r).at("id").as_string());
}

std::int64_t balance(Money& m, const std::string& token) {
  return m.wallet(token)["balance"].as_int64();
}

// Places a bet on a live market: 202 pending, the stake gone from the wallet at once.
std::string place_pending(Money& m, const std::string& token, const std::string& selection, const std::string& odds,
                          const std::string& key, const std::string& policy = "none") {
  const auto before = balance(m, token);
  const auto in_play_before = m.wallet(token)["in_play"].as_int64();
  auto r = place(m, token, 10'000, selection, odds, key, policy);
  EXPECT_TRUE(r && r->status == 202) << (r ? r->body : "no answer");
  if (!r || r->status != 202) return "";
  const auto bet = json_of(*r);
  EXPECT_EQ(bet.at("status").as_string(), "pending");
  EXPECT_TRUE(bet.at("accept_at").is_string());
  EXPECT_TRUE(bet.at("reject_reason").is_null());
  EXPECT_EQ(balance(m, token), before - 10'000);
  EXPECT_EQ(m.wallet(token)["in_play"].as_int64(), in_play_before + 10'000);
  return std::string(bet.at("id").as_string());
}

void expect_rejected(Money& m, const std::string& token, const std::string& id, const std::string& reason,
                     std::int64_t balance_before_bet) {
  const auto bet = final_bet(m, token, id);
  EXPECT_EQ(bet.at("status").as_string(), "rejected") << boost::json::serialize(bet);
  EXPECT_EQ(bet.at("reject_reason").as_string(), reason) << boost::json::serialize(bet);
  EXPECT_TRUE(bet.at("payout").is_null());
  EXPECT_EQ(balance(m, token), balance_before_bet) << "the stake comes back exactly";
  EXPECT_EQ(m.wallet(token)["in_play"].as_int64(), 0);
}

void accepted_and_prematch(Money& m) {
  LiveEvent live{m, "sr:match:101"};
  live.create("Enyimba", true, "2.00");
  LiveEvent later{m, "sr:match:102"};
  later.create("Remo Stars", false, "1.80");
  const auto punter = m.user("accepted@example.ng");
  m.fund(punter, 100'000, "fund-accepted");

  // Prematch on a market that is not live: 201 open at once.
  auto prematch = place(m, punter, 10'000, later.selections[0], "1.80", "pre-1");
  ASSERT_TRUE(prematch && prematch->status == 201) << (prematch ? prematch->body : "");
  EXPECT_EQ(json_of(*prematch).at("status").as_string(), "open");
  EXPECT_TRUE(json_of(*prematch).at("accept_at").is_null());

  const auto id = place_pending(m, punter, live.selections[0], "2.00", "live-1");
  // The same request again (a retry) gets the same bet back, not a second one.
  auto replay = place(m, punter, 10'000, live.selections[0], "2.00", "live-1");
  ASSERT_TRUE(replay);
  EXPECT_EQ(id_of(*replay), id);
  EXPECT_EQ(balance(m, punter), 80'000);
  const auto bet = final_bet(m, punter, id);
  EXPECT_EQ(bet.at("status").as_string(), "open") << boost::json::serialize(bet);
  EXPECT_TRUE(bet.at("reject_reason").is_null());
  EXPECT_EQ(bet.at("total_odds").as_string(), "2.00");
  EXPECT_EQ(bet.at("potential_payout").as_int64(), 20'000);
  EXPECT_EQ(balance(m, punter), 80'000);
  EXPECT_EQ(m.wallet(punter)["in_play"].as_int64(), 20'000);

  // An accepted in-play bet settles as any other.
  live.settle_home_won();
  const auto until = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < until &&
         json_of(*m.get_auth("/api/v1/bets/" + id, punter)).at("status").as_string() != "won")
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(json_of(*m.get_auth("/api/v1/bets/" + id, punter)).at("status").as_string(), "won");
  EXPECT_EQ(balance(m, punter), 100'000);
  EXPECT_EQ(m.verify_ledger(), 0);
}

void rejections(Money& m) {
  // Odds moved against a bettor who accepts no change.
  LiveEvent a{m, "sr:match:201"};
  a.create("Kano Pillars", true, "2.00");
  const auto p1 = m.user("odds@example.ng");
  m.fund(p1, 100'000, "fund-odds");
  const auto b1 = place_pending(m, p1, a.selections[0], "2.00", "odds-1");
  a.move_odds("1.70");
  expect_rejected(m, p1, b1, "odds_changed", 100'000);

  // The odds rose and the bettor accepts higher odds: accepted at the new odds.
  const auto b2 = place_pending(m, p1, a.selections[0], "1.70", "odds-2", "higher");
  a.move_odds("1.95");
  const auto accepted = final_bet(m, p1, b2);
  EXPECT_EQ(accepted.at("status").as_string(), "open") << boost::json::serialize(accepted);
  EXPECT_EQ(accepted.at("legs").as_array().at(0).as_object().at("odds").as_string(), "1.95");
  EXPECT_EQ(accepted.at("total_odds").as_string(), "1.95");
  EXPECT_EQ(accepted.at("potential_payout").as_int64(), 19'500);

  // bet_stop inside the delay: the market suspends, the bet is rejected.
  LiveEvent b{m, "sr:match:202"};
  b.create("Lobi Stars", true, "2.50");
  const auto p2 = m.user("stop@example.ng");
  m.fund(p2, 50'000, "fund-stop");
  const auto b3 = place_pending(m, p2, b.selections[0], "2.50", "stop-1");
  b.bet_stop();
  expect_rejected(m, p2, b3, "market_suspended", 50'000);

  // The market settled while the bet waits: rejected, never paid.
  LiveEvent c{m, "sr:match:203"};
  c.create("Rangers", true, "3.00");
  const auto p3 = m.user("settled@example.ng");
  m.fund(p3, 50'000, "fund-settled");
  const auto b4 = place_pending(m, p3, c.selections[0], "3.00", "settled-1");
  c.settle_home_won();
  expect_rejected(m, p3, b4, "market_closed", 50'000);
  EXPECT_EQ(m.verify_ledger(), 0);
}

Env inplay_env(const Env& extra = {}) {
  // A 2 s delay: long enough for a feed message to land inside it on a loaded machine.
  Env env{{"FEED_HMAC_SECRET", kFeedSecret},
          {"FEED_PROVIDER", "betradar"},
          {"LIVE_BET_DELAY_SECONDS", "2"},
          {"LIVE_BET_WORKER_INTERVAL", "100ms"}};
  for (const auto& [k, v] : extra) env[k] = v;
  return env;
}

Env on_postgres(PgServer& pg, const std::string& name, const Env& extra = {}) {
  pg.create_database(name);
  Env env{{"DATABASE_URL", pg.url(name)}, {"DB_POOL_MAX", "20"}, {"DB_ACQUIRE_TIMEOUT", "60s"}};
  for (const auto& [k, v] : extra) env[k] = v;
  return inplay_env(env);
}

void finished_after_sigkill(Money& m) {
  LiveEvent live{m, "sr:match:301"};
  live.create("Heartland", true, "2.20");
  const auto punter = m.user("crash@example.ng");
  m.fund(punter, 100'000, "fund-crash");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(place_pending(m, punter, live.selections[0], "2.20", "crash-" + std::to_string(i)));
  // Killed within the delay (4 s here): its bets wait in the database for the next task.
  m.crash_and_restart();
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  for (const auto& id : ids) EXPECT_EQ(final_bet(m, punter, id).at("status").as_string(), "open");
  EXPECT_EQ(balance(m, punter), 50'000);
  EXPECT_EQ(m.wallet(punter)["in_play"].as_int64(), 50'000);
  EXPECT_EQ(m.verify_ledger(), 0);
}

std::size_t count_lines(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

}  // namespace

TEST(InPlay, AcceptedAfterTheDelayAndPrematchStillOpenAtOnce) {
  Money m(inplay_env());
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  accepted_and_prematch(m);
}

TEST(InPlay, RejectedByOddsBetStopOrSettlementWithTheStakeReturned) {
  Money m(inplay_env());
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  rejections(m);
}

TEST(InPlay, FinishedAfterASigkillOfTheTaskThatTookThem) {
  Money m(inplay_env({{"LIVE_BET_DELAY_SECONDS", "4"}}));
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  finished_after_sigkill(m);
}

TEST(InPlay, ThePlacingTaskFinishesItsOwnBetWithoutTheWorker) {
  // The worker off: the placing task's own check at accept_at accepts the bet (and only it could).
  Money m(inplay_env({{"LIVE_BET_DELAY_SECONDS", "1"}, {"LIVE_BET_WORKER_INTERVAL", "0"}}));
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  LiveEvent live{m, "sr:match:401"};
  live.create("Sunshine", true, "2.00");
  const auto punter = m.user("idle@example.ng");
  m.fund(punter, 50'000, "fund-idle");
  const auto id = place_pending(m, punter, live.selections[0], "2.00", "idle-1");
  EXPECT_EQ(m.verify_ledger(), 0) << "a pending bet holds exactly its stake";
  EXPECT_EQ(final_bet(m, punter, id).at("status").as_string(), "open");
  EXPECT_EQ(m.verify_ledger(), 0);
}

TEST(InPlay, OnPostgres) {
  PgServer pg;
  {
    Money m(on_postgres(pg, "inplay_accepted"));
    ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
    accepted_and_prematch(m);
  }
  {
    Money m(on_postgres(pg, "inplay_rejected"));
    ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
    rejections(m);
  }
  {
    Money m(on_postgres(pg, "inplay_crash", {{"LIVE_BET_DELAY_SECONDS", "4"}}));
    ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
    finished_after_sigkill(m);
  }
}

// Two tasks on one PostgreSQL, both running the worker at a short interval: 200 pending bets placed on both,
// each accepted exactly once (the conditional move would fail a second time, and the logs count one acceptance
// per bet across both tasks).
TEST(InPlay, TwoTasksFinishEachPendingBetExactlyOnce) {
  PgServer pg;
  Money m(on_postgres(pg, "inplay_two_tasks", {{"LIVE_BET_WORKER_INTERVAL", "20ms"}}));
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  ServerProcess other(m.env());
  ASSERT_TRUE(other.started()) << other.stdout_text();
  LiveEvent live{m, "sr:match:501"};
  live.create("Akwa United", true, "2.00");
  constexpr int kPunters = 4, kBetsEach = 50;
  std::vector<std::string> punters;
  for (int p = 0; p < kPunters; ++p) {
    punters.push_back(m.user("two" + std::to_string(p) + "@example.ng"));
    m.fund(punters.back(), kBetsEach * 10'000, "fund-two-" + std::to_string(p));
  }
  std::vector<std::vector<std::string>> ids(kPunters);
  std::vector<std::thread> placers;
  for (int p = 0; p < kPunters; ++p)
    placers.emplace_back([&, p] {
      for (int i = 0; i < kBetsEach; ++i) {
        auto r = place(m, punters[p], 10'000, live.selections[0], "2.00", "two-" + std::to_string(i), "none",
                       i % 2 ? other.port() : m.port());
        if (r && r->status == 202) ids[p].push_back(id_of(*r));
      }
    });
  for (auto& t : placers) t.join();
  std::size_t placed = 0;
  for (int p = 0; p < kPunters; ++p) {
    placed += ids[p].size();
    for (const auto& id : ids[p]) EXPECT_EQ(final_bet(m, punters[p], id).at("status").as_string(), "open");
    EXPECT_EQ(balance(m, punters[p]), 0);
    EXPECT_EQ(m.wallet(punters[p])["in_play"].as_int64(), kBetsEach * 10'000);
  }
  EXPECT_EQ(placed, static_cast<std::size_t>(kPunters * kBetsEach));
  const auto accepted = count_lines(m.server().stdout_text(), "in-play bet accepted") +
                        count_lines(other.stdout_text(), "in-play bet accepted");
  EXPECT_EQ(accepted, placed) << "each bet accepted once, by one task";
  EXPECT_EQ(m.verify_ledger(), 0);
}
