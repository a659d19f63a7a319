// The sportsbook over HTTP on the real binary: admin routes, the public catalogue and its cache,
// bets with idempotency keys, settlement (including a crash in the middle) and `ledger verify`.
#include <gtest/gtest.h>

#include <thread>

#include "harness.hpp"
#include "money_server.hpp"
#include "pg_server.hpp"
#include "redis_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::object;

namespace {

struct Book {
  Money& m;
  std::string admin;

  object event(const std::string& home, const std::string& away, const std::string& sport = "football") {
    auto r = m.post("/api/v1/admin/events",
                    {{"sport", sport}, {"home", home}, {"away", away}, {"starts_at", in_hours(2)}}, admin, "");
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "");
    return json_of(*r);
  }
  object market(const std::string& event_id, const std::vector<std::pair<std::string, std::string>>& selections) {
    boost::json::array list;
    for (auto& [name, odds] : selections) list.push_back(object{{"name", name}, {"odds", odds}});
    auto r =
        m.post("/api/v1/admin/events/" + event_id + "/markets", {{"name", "1X2"}, {"selections", list}}, admin, "");
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "");
    return json_of(*r);
  }
  static std::string selection(const object& market, std::size_t i) {
    return std::string(market.at("selections").as_array()[i].as_object().at("id").as_string());
  }
  std::optional<HttpResponse> settle(const std::string& market_id, const object& body) {
    return m.post("/api/v1/admin/markets/" + market_id + "/settle", body, admin, "");
  }
};

std::optional<HttpResponse> bet(Money& m, const std::string& token, std::int64_t stake, const std::string& selection,
                                const std::string& odds, const std::string& key) {
  boost::json::array legs{object{{"selection_id", selection}, {"odds", odds}}};
  return m.post("/api/v1/bets", {{"stake", stake}, {"legs", legs}}, token, key);
}

}  // namespace

TEST(Sportsbook, AdminRoutesNeedAnAdministrator) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto user = m.user("punter@example.ng");
  const std::vector<std::pair<std::string, std::string>> routes{{"POST", "/api/v1/admin/events"},
                                                                {"PATCH", "/api/v1/admin/events/evt_x"},
                                                                {"POST", "/api/v1/admin/events/evt_x/markets"},
                                                                {"PATCH", "/api/v1/admin/markets/mkt_x"},
                                                                {"POST", "/api/v1/admin/markets/mkt_x/settle"}};
  for (const auto& [method, path] : routes) {
    auto anonymous = m.call(method, path, {{"void", true}}, "");
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(anonymous->status, 401) << method << " " << path;
    EXPECT_EQ(anonymous->header("www-authenticate").substr(0, 6), "Bearer");
    auto r = m.call(method, path, {{"void", true}}, user);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403) << method << " " << path;
    EXPECT_EQ(code_of(*r), "forbidden");
  }
}

TEST(Sportsbook, CatalogueIsValidatedPublishedAndFreshAfterEveryChange) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  Book book{m, m.admin("trader@bet2wealth.co")};

  // Validation: every problem named at once.
  auto bad =
      m.post("/api/v1/admin/events", {{"sport", "quidditch"}, {"home", ""}, {"starts_at", "tomorrow"}}, book.admin, "");
  ASSERT_EQ(bad->status, 422) << bad->body;
  EXPECT_EQ(json_of(*bad)["error"].as_object()["details"].as_array().size(), 4u) << bad->body;

  auto e = book.event("Enyimba", "Kano Pillars");
  const std::string event_id = std::string(e["id"].as_string());
  EXPECT_EQ(e["name"].as_string(), "Enyimba vs Kano Pillars");
  EXPECT_EQ(e["status"].as_string(), "scheduled");
  EXPECT_TRUE(e["markets"].as_array().empty());

  auto numeric = m.post("/api/v1/admin/events/" + event_id + "/markets",
                        {{"name", "1X2"},
                         {"selections", boost::json::array{object{{"name", "Home"}, {"odds", 1.85}},
                                                           object{{"name", "Away"}, {"odds", "0.5"}}}}},
                        book.admin, "");
  ASSERT_EQ(numeric->status, 422) << numeric->body;
  EXPECT_EQ(m.post("/api/v1/admin/events/evt_nope/markets",
                   {{"name", "1X2"},
                    {"selections",
                     boost::json::array{object{{"name", "A"}, {"odds", "2"}}, object{{"name", "B"}, {"odds", "2"}}}}},
                   book.admin, "")
                ->status,
            404);

  auto market = book.market(event_id, {{"Home", "1.85"}, {"Draw", "3.20"}, {"Away", "4.5"}});
  EXPECT_EQ(market["status"].as_string(), "open");
  EXPECT_EQ(market["version"].as_int64(), 1);
  EXPECT_EQ(market["selections"].as_array()[2].as_object()["odds"].as_string(), "4.50");
  const std::string market_id = std::string(market["id"].as_string());

  // Public reads (served from the cache after the first).
  for (int i = 0; i < 2; ++i) {
    auto events = get(m.port(), "/api/v1/events?sport=football");
    ASSERT_EQ(events->status, 200) << events->body;
    auto data = json_of(*events)["data"].as_array();
    ASSERT_EQ(data.size(), 1u);
    EXPECT_EQ(data[0].as_object()["markets"].as_array().size(), 1u);
  }
  EXPECT_TRUE(json_of(*get(m.port(), "/api/v1/events?sport=tennis"))["data"].as_array().empty());
  EXPECT_EQ(get(m.port(), "/api/v1/events?sport=quidditch")->status, 422);
  EXPECT_EQ(get(m.port(), "/api/v1/events?from=yesterday")->status, 422);
  EXPECT_EQ(get(m.port(), "/api/v1/events/evt_nope")->status, 404);
  auto sports = json_of(*get(m.port(), "/api/v1/sports"))["data"].as_array();
  EXPECT_EQ(sports[0].as_object()["key"].as_string(), "football");
  EXPECT_EQ(sports[0].as_object()["event_count"].as_int64(), 1);

  // An odds change shows at once, with the version moved on.
  ASSERT_EQ(get(m.port(), "/api/v1/events/" + event_id)->status, 200);  // cached now
  auto patched = m.call(
      "PATCH", "/api/v1/admin/markets/" + market_id,
      {{"selections", boost::json::array{object{{"id", Book::selection(market, 0)}, {"odds", "1.70"}}}}}, book.admin);
  ASSERT_EQ(patched->status, 200) << patched->body;
  EXPECT_EQ(json_of(*patched)["version"].as_int64(), 2);
  auto fresh = json_of(*get(m.port(), "/api/v1/events/" + event_id));
  EXPECT_EQ(fresh["markets"].as_array()[0].as_object()["selections"].as_array()[0].as_object()["odds"].as_string(),
            "1.70");
  auto bad_patch = m.call("PATCH", "/api/v1/admin/markets/" + market_id, {{"status", "settled"}}, book.admin);
  EXPECT_EQ(bad_patch->status, 422);

  // Event transitions.
  EXPECT_EQ(m.call("PATCH", "/api/v1/admin/events/" + event_id, {{"status", "live"}}, book.admin)->status, 200);
  auto backwards = m.call("PATCH", "/api/v1/admin/events/" + event_id, {{"status", "scheduled"}}, book.admin);
  EXPECT_EQ(backwards->status, 409);
  EXPECT_EQ(code_of(*backwards), "invalid_transition");
  EXPECT_EQ(json_of(*get(m.port(), "/api/v1/events/" + event_id))["status"].as_string(), "live");
}

TEST(Sportsbook, BetsOverHttpFromPlacementToPayout) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  Book book{m, m.admin("trader@bet2wealth.co")};
  const auto market = book.market(std::string(book.event("Rangers", "Rivers United")["id"].as_string()),
                                  {{"Home", "2.10"}, {"Draw", "3.00"}, {"Away", "3.50"}});
  const auto home = Book::selection(market, 0);
  const auto punter = m.user("punter@example.ng");
  m.fund(punter, 100'000, "fund-1");

  auto no_key = bet(m, punter, 10'000, home, "2.10", "");
  EXPECT_EQ(no_key->status, 422);
  auto moved = bet(m, punter, 10'000, home, "2.00", "bet-0");
  ASSERT_EQ(moved->status, 409) << moved->body;
  EXPECT_EQ(code_of(*moved), "odds_changed");
  EXPECT_EQ(json_of(*moved)["error"].as_object()["details"].as_array()[0].as_object()["odds"].as_string(), "2.10");
  auto numeric_stake =
      m.post("/api/v1/bets",
             {{"stake", 100.5}, {"legs", boost::json::array{object{{"selection_id", home}, {"odds", "2.10"}}}}}, punter,
             "bet-x");
  EXPECT_EQ(numeric_stake->status, 422);

  auto placed = bet(m, punter, 10'000, home, "2.10", "bet-1");
  ASSERT_EQ(placed->status, 201) << placed->body;
  auto b = json_of(*placed);
  EXPECT_EQ(b["status"].as_string(), "open");
  EXPECT_EQ(b["currency"].as_string(), "NGN");
  EXPECT_EQ(b["total_odds"].as_string(), "2.10");
  EXPECT_EQ(b["potential_payout"].as_int64(), 21'000);
  EXPECT_TRUE(b["payout"].is_null());
  const std::string bet_id = std::string(b["id"].as_string());
  auto replay = bet(m, punter, 10'000, home, "2.10", "bet-1");
  ASSERT_EQ(replay->status, 201);
  EXPECT_EQ(replay->header("idempotent-replayed"), "true");
  EXPECT_EQ(json_of(*replay)["id"].as_string(), bet_id);
  EXPECT_EQ(bet(m, punter, 20'000, home, "2.10", "bet-1")->status, 422) << "same key, other request";
  auto w = m.wallet(punter);
  EXPECT_EQ(w["balance"].as_int64(), 90'000);
  EXPECT_EQ(w["in_play"].as_int64(), 10'000);

  // Only the owner sees it.
  const auto other = m.user("other@example.ng");
  EXPECT_EQ(m.get_auth("/api/v1/bets/" + bet_id, other)->status, 404);
  EXPECT_EQ(m.get_auth("/api/v1/bets/" + bet_id, punter)->status, 200);
  EXPECT_TRUE(json_of(*m.get_auth("/api/v1/bets", other))["data"].as_array().empty());
  auto mine = json_of(*m.get_auth("/api/v1/bets?status=open", punter));
  ASSERT_EQ(mine["data"].as_array().size(), 1u);

  auto partial = book.settle(std::string(market.at("id").as_string()), {{"results", object{{home, "won"}}}});
  EXPECT_EQ(partial->status, 422) << "every selection must be named";
  const object results{{home, "won"}, {Book::selection(market, 1), "lost"}, {Book::selection(market, 2), "lost"}};
  auto settled = book.settle(std::string(market.at("id").as_string()), {{"results", results}});
  ASSERT_EQ(settled->status, 200) << settled->body;
  EXPECT_EQ(json_of(*settled)["bets_settled"].as_int64(), 1);
  EXPECT_EQ(json_of(*settled)["status"].as_string(), "settled");
  auto again = book.settle(std::string(market.at("id").as_string()), {{"results", results}});
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(json_of(*again)["bets_settled"].as_int64(), 0);
  auto conflict = book.settle(std::string(market.at("id").as_string()), {{"void", true}});
  EXPECT_EQ(conflict->status, 409);
  EXPECT_EQ(code_of(*conflict), "already_settled");

  auto won = json_of(*m.get_auth("/api/v1/bets/" + bet_id, punter));
  EXPECT_EQ(won["status"].as_string(), "won");
  EXPECT_EQ(won["payout"].as_int64(), 21'000);
  EXPECT_EQ(m.wallet(punter)["balance"].as_int64(), 111'000);
  EXPECT_EQ(m.verify_ledger(), 0);
}

// A trader sees a market's exposure before moving a price: open stakes and each selection's payout if it wins.
TEST(Sportsbook, MarketLiabilityShowsOpenStakesAndPayoutPerSelection) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  Book book{m, m.staff("desk@bet2wealth.co", "trader")};
  const auto market = book.market(std::string(book.event("Kano Pillars", "Enugu Rangers")["id"].as_string()),
                                  {{"Home", "2.10"}, {"Draw", "3.00"}, {"Away", "3.50"}});
  const std::string market_id(market.at("id").as_string());
  const auto home = Book::selection(market, 0);
  const auto away = Book::selection(market, 2);
  const auto punter = m.user("exposed@example.ng");
  m.fund(punter, 100'000, "fund-1");
  {
    auto placed = bet(m, punter, 10'000, home, "2.10", "l-1");
    ASSERT_EQ(placed->status, 201) << placed->body;
  }
  {
    auto placed = bet(m, punter, 15'000, home, "2.10", "l-2");
    ASSERT_EQ(placed->status, 201) << placed->body;
  }
  {
    auto placed = bet(m, punter, 20'001, away, "3.50", "l-3");
    ASSERT_EQ(placed->status, 201) << placed->body;
  }

  const std::string path = "/api/v1/admin/markets/" + market_id + "/liability";
  auto r = m.get_auth(path, book.admin);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->header("cache-control"), "no-store");
  auto l = json_of(*r);
  EXPECT_EQ(l["market_id"].as_string(), market_id);
  EXPECT_EQ(l["currency"].as_string(), "NGN");
  EXPECT_EQ(l["open_bets"].as_int64(), 3);
  EXPECT_EQ(l["open_stakes"].as_int64(), 45'001);
  const auto& sels = l["selections"].as_array();
  ASSERT_EQ(sels.size(), 3u);
  EXPECT_EQ(sels[0].as_object().at("selection_id").as_string(), home);
  EXPECT_EQ(sels[0].as_object().at("odds").as_string(), "2.10");
  EXPECT_EQ(sels[0].as_object().at("open_bets").as_int64(), 2);
  EXPECT_EQ(sels[0].as_object().at("open_stakes").as_int64(), 25'000);
  EXPECT_EQ(sels[0].as_object().at("payout_if_wins").as_int64(), 52'500);
  EXPECT_EQ(sels[1].as_object().at("open_bets").as_int64(), 0);
  EXPECT_EQ(sels[1].as_object().at("payout_if_wins").as_int64(), 0);
  EXPECT_EQ(sels[2].as_object().at("payout_if_wins").as_int64(), 70'003) << "floor(20001 x 3.50)";

  // Trading's duty: a player or a support agent may not see it; an unknown market is a 404.
  EXPECT_EQ(m.get_auth(path, punter)->status, 403);
  EXPECT_EQ(m.get_auth(path, m.staff("help@bet2wealth.co", "support"))->status, 403);
  auto unknown = m.get_auth("/api/v1/admin/markets/mkt_nothing/liability", book.admin);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(code_of(*unknown), "not_found");

  // Settled: nothing is open any more.
  const object results{{home, "lost"}, {Book::selection(market, 1), "lost"}, {away, "won"}};
  ASSERT_EQ(book.settle(market_id, {{"results", results}})->status, 200);
  l = json_of(*m.get_auth(path, book.admin));
  EXPECT_EQ(l["open_bets"].as_int64(), 0);
  EXPECT_EQ(l["open_stakes"].as_int64(), 0);
  EXPECT_EQ(l["selections"].as_array()[2].as_object().at("payout_if_wins").as_int64(), 0);
}

// The back office's dashboard: today's turnover, GGR, money in and out, active players, and the open liability.
TEST(Sportsbook, DashboardShowsTheLagosDaysFigures) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  Book book{m, m.staff("figures@bet2wealth.co", "trader")};
  const auto market = book.market(std::string(book.event("Lobi Stars", "Heartland")["id"].as_string()),
                                  {{"Home", "2.00"}, {"Away", "1.50"}});
  const std::string market_id(market.at("id").as_string());
  const auto punter = m.user("figures@example.ng");
  m.fund(punter, 100'000, "fund-1");
  {
    auto placed = bet(m, punter, 10'000, Book::selection(market, 0), "2.00", "d-1");
    ASSERT_EQ(placed->status, 201) << placed->body;
  }
  {
    auto placed = bet(m, punter, 14'000, Book::selection(market, 1), "1.50", "d-2");
    ASSERT_EQ(placed->status, 201) << placed->body;
  }

  auto r = m.get_auth("/api/v1/admin/dashboard", book.admin);
  ASSERT_EQ(r->status, 200) << r->body;
  auto d = json_of(*r);
  EXPECT_EQ(d["timezone"].as_string(), "Africa/Lagos");
  EXPECT_EQ(d["currency"].as_string(), "NGN");
  auto sb = d["sportsbook"].as_object();
  EXPECT_EQ(sb["bets"].as_int64(), 2);
  EXPECT_EQ(sb["turnover"].as_int64(), 24'000);
  EXPECT_EQ(sb["active_players"].as_int64(), 1);
  EXPECT_EQ(sb["ggr"].as_int64(), 0) << "nothing settled yet";
  EXPECT_EQ(d["payments"].as_object()["deposits"].as_object()["kobo"].as_int64(), 100'000);
  EXPECT_EQ(d["open"].as_object()["bets"].as_int64(), 2);
  EXPECT_EQ(d["open"].as_object()["liability"].as_int64(), 41'000);

  // Home loses, away wins: GGR is the stakes settled less the payouts (24 000 - 21 000).
  const object results{{Book::selection(market, 0), "lost"}, {Book::selection(market, 1), "won"}};
  ASSERT_EQ(book.settle(market_id, {{"results", results}})->status, 200);
  d = json_of(*m.get_auth("/api/v1/admin/dashboard?date=" + std::string(d["date"].as_string()), book.admin));
  sb = d["sportsbook"].as_object();
  EXPECT_EQ(sb["settled_bets"].as_int64(), 2);
  EXPECT_EQ(sb["payouts"].as_int64(), 21'000);
  EXPECT_EQ(sb["ggr"].as_int64(), 3'000);
  EXPECT_EQ(d["open"].as_object()["bets"].as_int64(), 0);

  EXPECT_EQ(m.get_auth("/api/v1/admin/dashboard", m.staff("finance@bet2wealth.co", "finance"))->status, 200);
  EXPECT_EQ(m.get_auth("/api/v1/admin/dashboard", m.staff("helpdesk@bet2wealth.co", "support"))->status, 403);
  EXPECT_EQ(m.get_auth("/api/v1/admin/dashboard", punter)->status, 403);
  EXPECT_EQ(m.get_auth("/api/v1/admin/dashboard?date=2026-13-01", book.admin)->status, 422);
  auto future = m.get_auth("/api/v1/admin/dashboard?date=2999-01-01", book.admin);
  EXPECT_EQ(future->status, 422) << future->body;
  auto past = json_of(*m.get_auth("/api/v1/admin/dashboard?date=2020-01-01", book.admin));
  EXPECT_EQ(past["from"].as_string(), "2019-12-31T23:00:00.000Z");
  EXPECT_EQ(past["sportsbook"].as_object()["turnover"].as_int64(), 0);
}

TEST(Sportsbook, CancellingAnEventRefundsItsBets) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  Book book{m, m.admin("trader@bet2wealth.co")};
  const std::string event_id = std::string(book.event("Shooting Stars", "Heartland")["id"].as_string());
  const auto market = book.market(event_id, {{"Home", "1.90"}, {"Away", "1.90"}});
  const auto punter = m.user("refund@example.ng");
  m.fund(punter, 50'000, "fund-1");
  ASSERT_EQ(bet(m, punter, 20'000, Book::selection(market, 0), "1.90", "b1")->status, 201);
  auto cancelled = m.call("PATCH", "/api/v1/admin/events/" + event_id, {{"status", "cancelled"}}, book.admin);
  ASSERT_EQ(cancelled->status, 200) << cancelled->body;
  EXPECT_EQ(json_of(*cancelled)["markets"].as_array()[0].as_object()["status"].as_string(), "void");
  EXPECT_EQ(m.wallet(punter)["balance"].as_int64(), 50'000);
  EXPECT_EQ(m.wallet(punter)["in_play"].as_int64(), 0);
  EXPECT_EQ(json_of(*m.get_auth("/api/v1/bets", punter))["data"].as_array()[0].as_object()["status"].as_string(),
            "void");
  EXPECT_EQ(m.verify_ledger(), 0);
}

// SIGKILL while a big market settles; the new process's resumer finishes the job without being
// asked, and the same settlement sent again afterwards changes nothing: every bet paid exactly
// once, and the ledger balances.
TEST(Sportsbook, SettlementInterruptedByACrashIsFinishedByTheResumer) {
  Money m(Env{{"SETTLEMENT_BATCH_SIZE", "100"}, {"SETTLEMENT_RESUME_INTERVAL", "1s"}});
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  Book book{m, m.admin("trader@bet2wealth.co")};
  const auto market = book.market(std::string(book.event("Lobi Stars", "Akwa United")["id"].as_string()),
                                  {{"Home", "2.00"}, {"Away", "2.00"}});
  const auto home = Book::selection(market, 0);
  const auto punter = m.user("bulk@example.ng");
  m.fund(punter, 100'000'000, "fund-1");
  constexpr int kBets = 1500;
  {
    Client c(m.port(), 15s);
    for (int i = 0; i < kBets; ++i) {
      boost::json::array legs{object{{"selection_id", home}, {"odds", "2.00"}}};
      auto r = c.request("POST", "/api/v1/bets",
                         {{"Content-Type", "application/json"},
                          {"Authorization", "Bearer " + punter},
                          {"Idempotency-Key", "bulk-" + std::to_string(i)}},
                         boost::json::serialize(object{{"stake", 10'000}, {"legs", legs}}));
      ASSERT_TRUE(r && r->status == 201) << (r ? r->body : "no response");
    }
  }
  const object results{{home, "won"}, {Book::selection(market, 1), "lost"}};
  {
    Client c(m.port(), 15s);
    const std::string body = boost::json::serialize(object{{"results", results}});
    ASSERT_TRUE(c.send("POST /api/v1/admin/markets/" + std::string(market.at("id").as_string()) +
                       "/settle HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer " +
                       book.admin + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body));
    // Killed as soon as the first batch has paid out.
    for (int i = 0; i < 5000; ++i) {
      auto won = m.get_auth("/api/v1/bets?status=won&limit=1", punter);
      if (won && won->status == 200 && !json_of(*won)["data"].as_array().empty()) break;
      std::this_thread::sleep_for(1ms);
    }
    m.crash_and_restart();
  }
  ASSERT_TRUE(m.server().started());
  const auto open_left = [&] {
    auto open = m.get_auth("/api/v1/bets?status=open&limit=100", punter);
    return open && open->status == 200 ? json_of(*open)["data"].as_array().size() : std::size_t{999};
  };
  EXPECT_GT(open_left(), 0u) << "the crash came before the last batch";
  const auto restarted = std::chrono::steady_clock::now();
  while (open_left() > 0 && std::chrono::steady_clock::now() - restarted < 20s) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(open_left(), 0u) << m.server().stdout_text();
  std::cout
      << "the resumer finished the settlement "
      << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - restarted).count()
      << " ms after the restart\n";
  EXPECT_TRUE(m.server().wait_for_log("settlement resumed", 5s));  // written after the last batch commits
  auto settled = book.settle(std::string(market.at("id").as_string()), {{"results", results}});
  ASSERT_EQ(settled->status, 200) << settled->body;
  EXPECT_EQ(json_of(*settled)["bets_settled"].as_int64(), 0) << "nothing left for the re-send";
  auto w = m.wallet(punter);
  EXPECT_EQ(w["balance"].as_int64(), 100'000'000 + kBets * 10'000);
  EXPECT_EQ(w["in_play"].as_int64(), 0);
  EXPECT_TRUE(json_of(*m.get_auth("/api/v1/bets?status=open", punter))["data"].as_array().empty());
  EXPECT_EQ(m.verify_ledger(), 0);
}

// Two tasks on PostgreSQL and Redis: a change made through one is what the other serves next.
TEST(Sportsbook, EveryTaskServesTheChangeAsSoonAsItCommits) {
  PgServer pg;
  pg.create_database("book");
  RedisServer redis(RedisServer::Options{.password = "redis-test-password"});
  Money a(Env{{"DATABASE_URL", pg.url("book")}, {"REDIS_URL", redis.url()}});
  ASSERT_TRUE(a.server().started()) << a.server().stdout_text();
  ServerProcess b(a.env());
  ASSERT_TRUE(b.started()) << b.stdout_text();
  Book book{a, a.admin("trader@bet2wealth.co")};
  const std::string event_id = std::string(book.event("Remo Stars", "Bendel Insurance")["id"].as_string());
  auto market = book.market(event_id, {{"Home", "2.00"}, {"Away", "1.80"}});
  for (int round = 0; round < 20; ++round) {
    ASSERT_EQ(get(b.port(), "/api/v1/events/" + event_id)->status, 200);  // b caches it
    const std::string odds = "2." + std::to_string(10 + round);
    auto patched = a.call(
        "PATCH", "/api/v1/admin/markets/" + std::string(market.at("id").as_string()),
        {{"selections", boost::json::array{object{{"id", Book::selection(market, 0)}, {"odds", odds}}}}}, book.admin);
    ASSERT_EQ(patched->status, 200) << patched->body;
    auto seen = json_of(*get(b.port(), "/api/v1/events/" + event_id));
    EXPECT_EQ(seen["markets"].as_array()[0].as_object()["selections"].as_array()[0].as_object()["odds"].as_string(),
              odds)
        << "round " << round;
  }
}
