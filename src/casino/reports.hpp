#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/casino.hpp"

namespace b2w::casino {

template <typename T>
using Awaitable = store::Awaitable<T>;

// Totals of one aggregator over a period, and of each of its games: GGR = staked - won.
struct AggregatorSummary {
  std::string aggregator;
  std::int64_t rounds = 0;
  domain::Kobo staked = 0;
  domain::Kobo won = 0;
  std::vector<store::CasinoGameTotals> games;
};

// What players and operators read of the casino: a player's rounds, the period's stakes and wins.
class CasinoReports {
 public:
  explicit CasinoReports(store::Database& db) : repository_(db) {}

  Awaitable<std::vector<store::CasinoRound>> rounds(std::string user_id, int limit,
                                                    std::optional<std::pair<std::int64_t, std::string>> before);
  // [from, to); throws domain::Error invalid when to is not after from or the period exceeds a year.
  Awaitable<std::vector<AggregatorSummary>> summary(std::int64_t from, std::int64_t to);

 private:
  store::CasinoRepository repository_;
};

}  // namespace b2w::casino
