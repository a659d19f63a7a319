#include "casino/game_catalogue.hpp"

#include <algorithm>
#include <boost/algorithm/string/predicate.hpp>
#include <tuple>

namespace b2w::casino {

namespace {

bool passes(const CasinoGame& game, const GameFilter& filter) {
  if (!filter.provider.empty() && !boost::algorithm::iequals(game.provider, filter.provider)) return false;
  if (!filter.category.empty() && !boost::algorithm::iequals(game.category, filter.category)) return false;
  if (filter.mobile_only && !game.mobile) return false;
  return filter.search.empty() || boost::algorithm::icontains(game.name, filter.search);
}

bool before(const CasinoGame& a, const CasinoGame& b) {
  return std::tie(a.position, a.id) < std::tie(b.position, b.id);
}

}  // namespace

GameCatalogue::GameCatalogue(std::vector<CasinoGame> games) : games_(std::move(games)) {
  std::sort(games_.begin(), games_.end(), before);
  // An id listed twice keeps its first place in the lobby order.
  by_id_.reserve(games_.size());
  std::vector<CasinoGame> unique;
  unique.reserve(games_.size());
  for (auto& game : games_)
    if (by_id_.emplace(game.id, unique.size()).second) unique.push_back(std::move(game));
  games_ = std::move(unique);
}

std::vector<CasinoGame> GameCatalogue::page(const GameFilter& filter, const std::optional<GameCursor>& after,
                                            std::size_t limit) const {
  auto it = games_.begin();
  if (after)
    it = std::upper_bound(games_.begin(), games_.end(), *after, [](const GameCursor& cursor, const CasinoGame& g) {
      return std::tie(cursor.first, cursor.second) < std::tie(g.position, g.id);
    });
  std::vector<CasinoGame> out;
  for (; it != games_.end() && out.size() < limit; ++it)
    if (passes(*it, filter)) out.push_back(*it);
  return out;
}

const CasinoGame* GameCatalogue::find(std::string_view id) const {
  const auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : &games_[it->second];
}

}  // namespace b2w::casino
