#include "casino/reports.hpp"

#include "domain/error.hpp"

namespace b2w::casino {

namespace {
constexpr std::int64_t kMaxPeriodMicros = 366LL * 24 * 3600 * 1'000'000;
}  // namespace

Awaitable<std::vector<store::CasinoRound>> CasinoReports::rounds(
    std::string user_id, int limit, std::optional<std::pair<std::int64_t, std::string>> before) {
  co_return co_await repository_.rounds(std::move(user_id), limit, std::move(before));
}

Awaitable<std::vector<AggregatorSummary>> CasinoReports::summary(std::int64_t from, std::int64_t to) {
  if (to <= from) throw domain::Error::validation().detail("to", "must be after from");
  if (to - from > kMaxPeriodMicros) throw domain::Error::validation().detail("to", "at most a year after from");
  const auto games = co_await repository_.totals(from, to);
  std::vector<AggregatorSummary> out;
  for (const auto& g : games) {
    if (out.empty() || out.back().aggregator != g.aggregator)
      out.push_back(AggregatorSummary{.aggregator = g.aggregator});
    auto& a = out.back();
    a.rounds += g.rounds;
    a.staked += g.staked;
    a.won += g.won;
    a.games.push_back(g);
  }
  co_return out;
}

}  // namespace b2w::casino
