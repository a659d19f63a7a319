// Fundist's outbound API: the hashes against vectors computed with Python's hashlib and hmac (independently of
// this code), the game list's reading and the reply envelope.
#include "casino/fundist_api.hpp"

#include <gtest/gtest.h>

namespace b2w::casino::fundist {
namespace {

// python3 -c "import hashlib; print(hashlib.md5(b'Game/FullList/0.0.0.0/<tid>/test-key/api-pass').hexdigest())"
TEST(FundistApi, GameListHashMatchesPython) {
  EXPECT_EQ(full_list_hash("0123456789abcdef0123456789abcdef", "test-key", "api-pass"),
            "91561e68cca62e9c1c150e12537bda3d");
}

TEST(FundistApi, LaunchHashMatchesPython) {
  EXPECT_EQ(auth_html_hash("tid42", "test-key", "01JD5X8Q2M6T0W9YV3K7B4N1CE", "p4ss", "998", "api-pass"),
            "218b727d299bfc5afc0709ac91935b17");
}

TEST(FundistApi, ResponseHashIsMd5OfTidPasswordAndBody) {
  const std::string body = "1,<iframe src=\"https://g.example/x\"></iframe>";
  EXPECT_TRUE(response_hash_valid("tid42", "api-pass", body, "bf935c9fcd8ef881431115451efde182"));
  EXPECT_TRUE(response_hash_valid("tid42", "api-pass", body, "BF935C9FCD8EF881431115451EFDE182"));
  EXPECT_FALSE(response_hash_valid("tid43", "api-pass", body, "bf935c9fcd8ef881431115451efde182"));
  EXPECT_FALSE(response_hash_valid("tid42", "api-pass", body + " ", "bf935c9fcd8ef881431115451efde182"));
  EXPECT_FALSE(response_hash_valid("tid42", "api-pass", body, ""));
  EXPECT_FALSE(response_hash_valid("tid42", "api-pass", body, "bf935c9fcd8ef881431115451efde18"));
}

TEST(FundistApi, PlayerPasswordIsDerivedAsPythonComputesIt) {
  // hmac.new(b'player-secret', b'fundist-player-password:<login>', hashlib.sha256).hexdigest()[:32]
  EXPECT_EQ(player_password("player-secret", "01JD5X8Q2M6T0W9YV3K7B4N1CE"), "936c521b3829785ceb7d029cac262a50");
  EXPECT_NE(player_password("other-secret", "01JD5X8Q2M6T0W9YV3K7B4N1CE"),
            player_password("player-secret", "01JD5X8Q2M6T0W9YV3K7B4N1CE"));
}

constexpr std::string_view kFullList = R"({
  "categories": [{"ID": "16", "Name": {"en": "Slots", "ru": "Слоты"}}, {"ID": 7, "Name": "Live"}],
  "merchants": {"998": {"Name": "Pragmatic Play", "Alias": "pragmatic"}, "960": {"Name": "Evolution"}},
  "games": [
    {"ID": "1001", "Name": {"ru": "Бонанза", "en": "Sweet Bonanza"}, "MerchantID": "998", "PageCode": "vs20fruitsw",
     "MobilePageCode": "vs20fruitsw_m", "CategoryID": ["16"], "hasDemo": "1",
     "ImageFullPath": "https://cdn.example/1001.png"},
    {"ID": 2002, "Name": "Lightning Roulette", "MerchantID": 960, "PageCode": "LightningTable01",
     "CategoryID": [7], "hasDemo": 0, "ImageFullPath": "/relative/2002.png"},
    {"ID": "3003", "Name": {"en": "No page code"}, "MerchantID": "998"},
    {"ID": "4004", "Name": {"en": "Unknown studio"}, "MerchantID": "555", "PageCode": "x", "CategoryID": ["99"]},
    "not an object"
  ]
})";

TEST(FundistApi, ReadsTheGameList) {
  const auto games = read_full_list(kFullList, {});
  ASSERT_EQ(games.size(), 3u);  // no page code: cannot be launched, left out
  EXPECT_EQ(games[0].id, "fundist:1001");
  EXPECT_EQ(games[0].name, "Sweet Bonanza");
  EXPECT_EQ(games[0].provider, "Pragmatic Play");
  EXPECT_EQ(games[0].provider_id, "998");
  EXPECT_EQ(games[0].category, "Slots");
  EXPECT_EQ(games[0].thumbnail, "https://cdn.example/1001.png");
  EXPECT_TRUE(games[0].has_demo);
  EXPECT_TRUE(games[0].mobile);
  EXPECT_EQ(games[0].launch_code, "vs20fruitsw");
  EXPECT_EQ(games[0].mobile_launch_code, "vs20fruitsw_m");
  EXPECT_EQ(games[1].id, "fundist:2002");  // numbers read as text
  EXPECT_EQ(games[1].provider, "Evolution");
  EXPECT_EQ(games[1].category, "Live");
  EXPECT_EQ(games[1].thumbnail, "");  // not an absolute URL
  EXPECT_FALSE(games[1].has_demo);
  EXPECT_FALSE(games[1].mobile);
  EXPECT_EQ(games[2].provider, "555");  // a merchant without a name: its id
  EXPECT_EQ(games[2].category, "");
  EXPECT_LT(games[0].position, games[1].position);
  EXPECT_LT(games[1].position, games[2].position);
}

TEST(FundistApi, OffersOnlyTheConfiguredMerchants) {
  const auto games = read_full_list(kFullList, {"960", "555"});
  ASSERT_EQ(games.size(), 2u);
  EXPECT_EQ(games[0].id, "fundist:2002");
  EXPECT_EQ(games[1].id, "fundist:4004");
}

TEST(FundistApi, RefusesAGameListOfAnotherShape) {
  EXPECT_THROW(read_full_list("", {}), std::runtime_error);
  EXPECT_THROW(read_full_list("[]", {}), std::runtime_error);
  EXPECT_THROW(read_full_list(R"({"games": {}})", {}), std::runtime_error);
  EXPECT_THROW(read_full_list("14,Wrong incoming params", {}), std::runtime_error);
  EXPECT_TRUE(read_full_list(R"({"games": []})", {}).empty());
}

TEST(FundistApi, ReadsTheReplyEnvelope) {
  auto ok = read_envelope("1,<div>a,b</div>");
  ASSERT_TRUE(std::holds_alternative<std::string>(ok));
  EXPECT_EQ(std::get<std::string>(ok), "<div>a,b</div>");
  auto refused = read_envelope("24,Restricted country");
  ASSERT_TRUE(std::holds_alternative<ApiRefusal>(refused));
  EXPECT_EQ(std::get<ApiRefusal>(refused).code, 24);
  EXPECT_EQ(std::get<ApiRefusal>(refused).message, "Restricted country");
  auto bare = read_envelope("15");
  EXPECT_EQ(std::get<ApiRefusal>(bare).code, 15);
  auto junk = read_envelope("<html>502 Bad Gateway</html>");
  EXPECT_EQ(std::get<ApiRefusal>(junk).code, 0);
  EXPECT_EQ(std::get<ApiRefusal>(read_envelope("")).code, 0);
}

}  // namespace
}  // namespace b2w::casino::fundist
