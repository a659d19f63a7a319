#include "casino/lobby.hpp"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "domain/error.hpp"
#include "limits/player_controls.hpp"
#include "observability/log.hpp"
#include "util/ids.hpp"

namespace b2w::casino {

using domain::Error;
using domain::ErrorKind;

namespace {

Error unavailable() {
  return Error(ErrorKind::unavailable, "casino_unavailable", "The casino is unavailable; try again shortly");
}

}  // namespace

Awaitable<bool> CasinoLobby::refresh() {
  if (!provider_) co_return false;
  bool fetched = false;
  std::vector<CasinoGame> games;
  try {
    games = co_await provider_->games();
    fetched = true;
  } catch (const Error& e) {
    log::warn("casino game list not refreshed").str("code", e.code());
  }
  if (!fetched) co_return false;
  auto catalogue = std::make_shared<const GameCatalogue>(std::move(games));
  log::info("casino game list refreshed").num("games", static_cast<std::int64_t>(catalogue->size()));
  const std::scoped_lock lock(mutex_);
  catalogue_ = std::move(catalogue);
  co_return true;
}

std::shared_ptr<const GameCatalogue> CasinoLobby::catalogue() const {
  const std::scoped_lock lock(mutex_);
  if (!catalogue_) throw unavailable();
  return catalogue_;
}

Awaitable<LaunchedGame> CasinoLobby::launch(std::string user_id, std::string player_ip, LaunchOptions options) {
  const auto games = catalogue();
  const auto* game = games->find(options.game_id);
  if (!game) throw Error(ErrorKind::not_found, "game_not_found", "No such game");
  if (options.demo && !game->has_demo)
    throw Error(ErrorKind::invalid, "demo_unavailable", "This game has no demo mode");
  const auto user = co_await users_.find_by_id(user_id);
  if (!user) throw Error::not_found("No such user");
  if (user->locked_at && !options.demo)
    throw Error(ErrorKind::forbidden, "account_locked", "This account is locked; contact support");
  // Real-money play needs an adult, unexcluded player (the callbacks refuse an excluded player's debits too).
  if (!options.demo)
    limits::check_standing(domain::PlayerStanding{.has_date_of_birth = user->date_of_birth.has_value(),
                                                  .excluded_until = user->excluded_until});
  LaunchRequest request{.user_id = std::move(user_id),
                        .currency = "NGN",
                        .player_ip = std::move(player_ip),
                        .mobile = options.mobile,
                        .demo = options.demo,
                        .language = options.language,
                        .session_id = new_id("cgs")};
  auto html = co_await provider_->launch(*game, request);
  log::info("casino game launched")
      .str("game", game->id)
      .str("session", request.session_id)
      .str("mode", request.demo ? "demo" : "real");
  co_return LaunchedGame{.session_id = std::move(request.session_id), .html = std::move(html)};
}

Awaitable<void> keep_games_fresh(CasinoLobby& lobby, std::chrono::milliseconds interval) {
  auto ex = co_await boost::asio::this_coro::executor;
  const std::chrono::milliseconds first_retry = std::min<std::chrono::milliseconds>(std::chrono::seconds(30), interval);
  std::chrono::milliseconds retry = first_retry;
  for (;;) {
    const bool ok = co_await lobby.refresh();
    const auto wait = ok ? interval : retry;
    retry = ok ? first_retry : std::min(retry * 2, interval);
    boost::asio::steady_timer timer(ex, wait);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
}

}  // namespace b2w::casino
