#include "casino/game_catalogue.hpp"

#include <gtest/gtest.h>

namespace b2w::casino {
namespace {

CasinoGame game(std::string id, std::int64_t position, std::string provider = "Studio A",
                std::string category = "Slots", bool mobile = true) {
  CasinoGame g;
  g.id = std::move(id);
  g.name = "Game " + g.id;
  g.position = position;
  g.provider = std::move(provider);
  g.category = std::move(category);
  g.mobile = mobile;
  return g;
}

std::vector<std::string> ids(const std::vector<CasinoGame>& games) {
  std::vector<std::string> out;
  for (const auto& g : games) out.push_back(g.id);
  return out;
}

TEST(GameCatalogue, PagesInLobbyOrderWithoutGapsOrRepeats) {
  std::vector<CasinoGame> games;
  for (int i = 0; i < 50; ++i) games.push_back(game("g" + std::to_string(100 + i), 50 - i));
  const GameCatalogue catalogue(games);
  std::vector<std::string> seen;
  std::optional<GameCursor> after;
  for (;;) {
    const auto page = catalogue.page({}, after, 7);
    if (page.empty()) break;
    for (const auto& g : page) seen.push_back(g.id);
    after = GameCursor{page.back().position, page.back().id};
  }
  ASSERT_EQ(seen.size(), 50u);
  EXPECT_EQ(seen.front(), "g149");  // the smallest position first
  EXPECT_EQ(seen.back(), "g100");
}

TEST(GameCatalogue, ACursorStaysValidAcrossARefresh) {
  const GameCatalogue before({game("a", 1), game("b", 2), game("c", 3), game("d", 4)});
  const auto first = before.page({}, std::nullopt, 2);
  ASSERT_EQ(ids(first), (std::vector<std::string>{"a", "b"}));
  // "b" is gone from the new list and a game was added before the cursor: the next page starts after it.
  const GameCatalogue after({game("a", 1), game("z", 1), game("c", 3), game("d", 4)});
  EXPECT_EQ(ids(after.page({}, GameCursor{2, "b"}, 10)), (std::vector<std::string>{"c", "d"}));
}

TEST(GameCatalogue, Filters) {
  const GameCatalogue catalogue({game("a", 1, "Pragmatic Play", "Slots"), game("b", 2, "Evolution", "Live", false),
                                 game("c", 3, "pragmatic play", "Live")});
  EXPECT_EQ(ids(catalogue.page({.provider = "PRAGMATIC PLAY"}, std::nullopt, 10)),
            (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(ids(catalogue.page({.category = "live"}, std::nullopt, 10)), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(ids(catalogue.page({.search = "ME B"}, std::nullopt, 10)), (std::vector<std::string>{"b"}));
  EXPECT_EQ(ids(catalogue.page({.mobile_only = true}, std::nullopt, 10)), (std::vector<std::string>{"a", "c"}));
  EXPECT_TRUE(catalogue.page({.provider = "Nobody"}, std::nullopt, 10).empty());
  // A filtered page is full when enough games pass, however many are skipped.
  EXPECT_EQ(ids(catalogue.page({.category = "Live"}, std::nullopt, 1)), (std::vector<std::string>{"b"}));
}

TEST(GameCatalogue, FindsByIdAndKeepsTheFirstOfADuplicate) {
  const GameCatalogue catalogue({game("a", 5), game("a", 1), game("b", 2)});
  EXPECT_EQ(catalogue.size(), 2u);
  ASSERT_NE(catalogue.find("a"), nullptr);
  EXPECT_EQ(catalogue.find("a")->position, 1);
  EXPECT_EQ(catalogue.find("nope"), nullptr);
}

}  // namespace
}  // namespace b2w::casino
