// The casino's lobby through the real binary: the game list fetched from a fake of Fundist's API
// (tests/support/fake_fundist_api.py, which checks every request's hash with Python's hashlib and signs its
// replies), paged and filtered; game launches; the provider down, slow, refusing or unsigned.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "money_server.hpp"
#include "python_fake.hpp"

using namespace b2w::test;
using boost::json::object;

namespace {

const std::string kKey = "fundist-test-key";
const std::string kPassword = "fundist-api-password";
const std::string kPlayerSecret = "fundist-player-secret";
constexpr int kGames = 130;

struct Lobby {
  Lobby()
      : fundist("fake_fundist_api.py", {kKey, kPassword, kPlayerSecret, std::to_string(kGames)}),
        money(Env{{"FUNDIST_API_KEY", kKey},
                  {"FUNDIST_BASE_URL", fundist.base_url()},
                  {"FUNDIST_API_PASSWORD", kPassword},
                  {"FUNDIST_PLAYER_SECRET", kPlayerSecret},
                  {"FUNDIST_TIMEOUT", "1s"}}) {}

  // The first page once the task has fetched the list (it does so at start, in the background).
  std::optional<HttpResponse> games(const std::string& query = "") {
    for (int i = 0; i < 200; ++i) {
      auto r = get(money.port(), "/api/v1/casino/games" + query);
      if (r && r->status != 503) return r;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return get(money.port(), "/api/v1/casino/games" + query);
  }
  void set_mode(const std::string& mode) { fundist.control("/_mode", boost::json::serialize(object{{"mode", mode}})); }
  std::optional<HttpResponse> launch(const std::string& token, const object& body) {
    return money.call("POST", "/api/v1/casino/sessions", body, token);
  }
  boost::json::array requests() { return boost::json::parse(fundist.read("/_requests")).as_array(); }

  PythonFake fundist;
  Money money;
};

TEST(CasinoLobby, ListsEveryGameOnceAcrossPages) {
  Lobby lobby;
  auto first = lobby.games("?limit=50");
  ASSERT_TRUE(first && first->status == 200) << (first ? first->body : "");
  EXPECT_EQ(first->headers["cache-control"], "public, max-age=60");
  std::set<std::string> ids;
  auto page = json_of(*first);
  int pages = 1;
  for (;;) {
    for (const auto& g : page["data"].as_array()) {
      const auto& game = g.as_object();
      EXPECT_TRUE(ids.insert(std::string(game.at("id").as_string())).second);
      EXPECT_FALSE(game.at("name").as_string().empty());
      EXPECT_TRUE(game.at("thumbnail_url").as_string().starts_with("https://cdn.fundist.example/"));
    }
    if (page["next_cursor"].is_null()) break;
    auto next =
        get(lobby.money.port(), "/api/v1/casino/games?limit=50&cursor=" + std::string(page["next_cursor"].as_string()));
    ASSERT_TRUE(next && next->status == 200);
    page = json_of(*next);
    ++pages;
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kGames));
  EXPECT_EQ(pages, 3);
  EXPECT_TRUE(ids.count("fundist:5000"));
  // The game list was fetched with a hash the fake accepted (it answers an error text otherwise).
  const auto requests = lobby.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests[0].as_object().at("path").as_string(), "/System/Api/" + kKey + "/Game/FullList/");
}

TEST(CasinoLobby, Filters) {
  Lobby lobby;
  auto evolution = lobby.games("?provider=evolution&limit=100");
  ASSERT_TRUE(evolution && evolution->status == 200);
  const auto list = json_of(*evolution)["data"].as_array();
  EXPECT_EQ(list.size(), static_cast<std::size_t>(kGames / 3));  // every third game is Evolution's (960)
  for (const auto& g : list) EXPECT_EQ(g.as_object().at("provider").as_string(), "Evolution");
  auto crash = json_of(*lobby.games("?category=Crash&mobile=true&limit=100"))["data"].as_array();
  for (const auto& g : crash) {
    EXPECT_EQ(g.as_object().at("category").as_string(), "Crash");
    EXPECT_TRUE(g.as_object().at("mobile").as_bool());
  }
  EXPECT_FALSE(crash.empty());
  auto search = json_of(*lobby.games("?search=game%20012"))["data"].as_array();
  ASSERT_EQ(search.size(), 1u);
  EXPECT_EQ(search[0].as_object().at("id").as_string(), "fundist:5012");

  auto bad_flag = get(lobby.money.port(), "/api/v1/casino/games?mobile=yes");
  ASSERT_TRUE(bad_flag);
  EXPECT_EQ(bad_flag->status, 422);
  auto bad_cursor = get(lobby.money.port(), "/api/v1/casino/games?cursor=nonsense");
  EXPECT_EQ(bad_cursor->status, 422);
  auto long_search = get(lobby.money.port(), "/api/v1/casino/games?search=" + std::string(101, 'x'));
  EXPECT_EQ(long_search->status, 422);
}

TEST(CasinoLobby, LaunchesAGameForThePlayer) {
  Lobby lobby;
  ASSERT_EQ(lobby.games()->status, 200);
  const auto token = lobby.money.user("launch@example.ng");
  const auto me = json_of(*lobby.money.get_auth("/api/v1/users/me", token));
  const std::string login = std::string(me.at("id").as_string()).substr(4);

  auto r = lobby.launch(token, {{"game_id", "fundist:5001"}, {"mobile", false}});
  ASSERT_TRUE(r && r->status == 201) << (r ? r->body : "");
  const auto session = json_of(*r);
  const std::string session_id(session.at("session_id").as_string());
  EXPECT_TRUE(session_id.starts_with("cgs_"));
  const std::string html(session.at("html").as_string());
  EXPECT_NE(html.find("page1?login=" + login), std::string::npos) << html;
  EXPECT_NE(html.find("ext=" + session_id), std::string::npos) << html;
  // What Fundist received: the player's login and derived password (the fake checked both and the hash).
  const auto launched = lobby.requests().back().as_object();
  EXPECT_EQ(launched.at("path").as_string(), "/System/Api/" + kKey + "/User/AuthHTML/");
  const auto& query = launched.at("query").as_object();
  EXPECT_EQ(query.at("Login").as_string(), login);
  EXPECT_EQ(query.at("System").as_string(), "960");
  EXPECT_EQ(query.at("Currency").as_string(), "NGN");
  EXPECT_EQ(query.at("UserIP").as_string(), "127.0.0.1");
  EXPECT_EQ(query.at("UserAutoCreate").as_string(), "1");
  EXPECT_FALSE(query.contains("Demo"));

  // A phone gets the game's mobile page; a demo needs a game that has one.
  auto mobile = lobby.launch(token, {{"game_id", "fundist:5000"}, {"mobile", true}, {"demo", true}});
  ASSERT_EQ(mobile->status, 201) << mobile->body;
  const auto demo_query = lobby.requests().back().as_object().at("query").as_object();
  EXPECT_EQ(demo_query.at("Page").as_string(), "page0_m");
  EXPECT_EQ(demo_query.at("Demo").as_string(), "1");
  EXPECT_EQ(demo_query.at("Login").as_string(), "$DemoUser$");
  auto no_demo = lobby.launch(token, {{"game_id", "fundist:5001"}, {"demo", true}});
  EXPECT_EQ(no_demo->status, 422);
  EXPECT_EQ(code_of(*no_demo), "demo_unavailable");

  auto unknown = lobby.launch(token, {{"game_id", "fundist:999999"}});
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(code_of(*unknown), "game_not_found");
  auto missing = lobby.launch(token, object{});
  EXPECT_EQ(missing->status, 422);
  auto wrong_type = lobby.launch(token, {{"game_id", "fundist:5001"}, {"mobile", "yes"}});
  EXPECT_EQ(wrong_type->status, 422);
  auto anonymous = lobby.launch("", {{"game_id", "fundist:5001"}});
  EXPECT_EQ(anonymous->status, 401);
}

TEST(CasinoLobby, ALockedPlayerCannotLaunch) {
  Lobby lobby;
  ASSERT_EQ(lobby.games()->status, 200);
  const auto before_lock = lobby.money.user("locked-lobby@example.ng");
  ASSERT_EQ(run_binary(lobby.money.env(), {"admin", "lock", "--email", "locked-lobby@example.ng"}, 20s).status, 0);
  // The lock revoked the session, and a locked player cannot sign in again to get another.
  auto r = lobby.launch(before_lock, {{"game_id", "fundist:5001"}});
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(code_of(*r), "token_revoked");
  auto login = lobby.money.post("/api/v1/auth/login",
                                {{"email", "locked-lobby@example.ng"}, {"password", "money-pass-1"}}, "", "");
  ASSERT_TRUE(login && login->status == 403) << (login ? login->body : "");
  EXPECT_EQ(code_of(*login), "account_locked");
}

TEST(CasinoLobby, TheProviderFailingCostsABoundedTimeAndAClearError) {
  Lobby lobby;
  ASSERT_EQ(lobby.games()->status, 200);
  const auto token = lobby.money.user("failing@example.ng");
  auto expect = [&](const std::string& mode, int status, const std::string& code) {
    lobby.set_mode(mode);
    const auto started = std::chrono::steady_clock::now();
    auto r = lobby.launch(token, {{"game_id", "fundist:5002"}});
    const auto took = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(r) << mode;
    EXPECT_EQ(r->status, status) << mode << " " << r->body;
    EXPECT_EQ(code_of(*r), code) << mode;
    EXPECT_LT(took, std::chrono::seconds(8)) << mode;  // FUNDIST_TIMEOUT is 1 s per step
  };
  expect("down", 503, "casino_unavailable");
  expect("hang", 503, "casino_unavailable");
  expect("bad_hash", 502, "casino_provider_error");
  expect("refuse:24,Restricted country", 403, "game_restricted");
  expect("refuse:33,This site is on maintenance", 503, "casino_unavailable");
  expect("refuse:11,Wrong authorization", 502, "casino_provider_error");
  // The list fetched before stays in service while the provider is away.
  lobby.set_mode("down");
  EXPECT_EQ(get(lobby.money.port(), "/api/v1/casino/games")->status, 200);
  lobby.set_mode("ok");
  EXPECT_EQ(lobby.launch(token, {{"game_id", "fundist:5002"}})->status, 201);
  // Nothing the provider was sent or answered reached the logs with a secret in it.
  const auto log = lobby.money.server().stdout_text() + lobby.money.server().stderr_text();
  EXPECT_EQ(log.find(kKey), std::string::npos);
  EXPECT_EQ(log.find(kPassword), std::string::npos);
  EXPECT_EQ(log.find(kPlayerSecret), std::string::npos);
}

TEST(CasinoLobby, WithoutFundistConfiguredTheLobbyIsUnavailable) {
  Money money;
  auto r = get(money.port(), "/api/v1/casino/games");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(code_of(*r), "casino_unavailable");
  const auto token = money.user("nocasino@example.ng");
  auto launch = money.call("POST", "/api/v1/casino/sessions", {{"game_id", "fundist:1"}}, token);
  EXPECT_EQ(launch->status, 503);
}

TEST(CasinoLobby, AnUnreachableProviderAtStartIsRetriedUntilTheListArrives) {
  PythonFake fundist("fake_fundist_api.py", {kKey, kPassword, kPlayerSecret, "5"});
  fundist.control("/_mode", R"({"mode":"down"})");
  Money money(Env{{"FUNDIST_API_KEY", kKey},
                  {"FUNDIST_BASE_URL", fundist.base_url()},
                  {"FUNDIST_API_PASSWORD", kPassword},
                  {"FUNDIST_PLAYER_SECRET", kPlayerSecret},
                  {"FUNDIST_TIMEOUT", "1s"},
                  {"CASINO_GAMES_REFRESH", "1s"}});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(get(money.port(), "/api/v1/casino/games")->status, 503);
  fundist.control("/_mode", R"({"mode":"ok"})");
  bool listed = false;
  for (int i = 0; i < 100 && !listed; ++i) {
    listed = get(money.port(), "/api/v1/casino/games")->status == 200;
    if (!listed) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(listed);
}

TEST(CasinoLobby, AHalfConfiguredFundistIsAStartError) {
  auto r = run_binary({{"FUNDIST_API_KEY", kKey}}, {"serve"}, 20s);
  EXPECT_EQ(r.status, 2);
  const auto said = r.out + r.err;
  EXPECT_NE(said.find("FUNDIST_API_KEY"), std::string::npos) << said;
  EXPECT_NE(said.find("FUNDIST_BASE_URL"), std::string::npos) << said;
  EXPECT_NE(said.find("FUNDIST_PLAYER_SECRET"), std::string::npos) << said;
  EXPECT_EQ(said.find(kKey), std::string::npos) << said;
}

}  // namespace
