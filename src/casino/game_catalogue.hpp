#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "casino/game_provider.hpp"

namespace b2w::casino {

struct GameFilter {
  std::string provider;  // exact, case-insensitive; empty: any
  std::string category;  // exact, case-insensitive; empty: any
  std::string search;    // a case-insensitive part of the name; empty: any
  bool mobile_only = false;
};

// Where a page starts: after the game at this (position, id); the lobby order is stable across refreshes.
using GameCursor = std::pair<std::int64_t, std::string>;

// The games as the aggregators list them, in lobby order (position, then id), read-only once built: a
// refresh builds a new one and swaps it in, so a request reads one consistent list without a lock.
class GameCatalogue {
 public:
  explicit GameCatalogue(std::vector<CasinoGame> games);

  // Up to `limit` games that pass the filter, after `after` (the previous page's last game).
  std::vector<CasinoGame> page(const GameFilter& filter, const std::optional<GameCursor>& after,
                               std::size_t limit) const;
  const CasinoGame* find(std::string_view id) const;
  std::size_t size() const { return games_.size(); }

 private:
  std::vector<CasinoGame> games_;
  std::unordered_map<std::string, std::size_t> by_id_;
};

}  // namespace b2w::casino
