#pragma once
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "casino/game_catalogue.hpp"
#include "casino/game_provider.hpp"
#include "store/users.hpp"

namespace b2w::casino {

struct LaunchOptions {
  std::string game_id;
  bool mobile = false;
  bool demo = false;
  std::string language = "en";
};

struct LaunchedGame {
  std::string session_id;  // ours, echoed by the aggregator in the callbacks (Fundist: i_extparam)
  std::string html;        // what starts the game in the browser
};

// The casino's lobby: the game list (fetched from the aggregator and kept in memory, refreshed in the
// background; a failed refresh keeps the last good list) and the game launch. Without an aggregator
// configured (`provider` null) every call is `casino_unavailable`.
class CasinoLobby {
 public:
  CasinoLobby(store::UserRepository& users, std::shared_ptr<GameProvider> provider)
      : users_(users), provider_(std::move(provider)) {}

  bool configured() const { return provider_ != nullptr; }
  // Fetches the game list and swaps it in; false (logged) when the aggregator failed.
  Awaitable<bool> refresh();
  // The list as last fetched. Throws casino_unavailable when there is none yet.
  std::shared_ptr<const GameCatalogue> catalogue() const;
  // Launches `options.game_id` for the user. Throws game_not_found, demo_unavailable, account_locked, or the
  // provider's errors (casino_unavailable, casino_provider_error, game_restricted).
  Awaitable<LaunchedGame> launch(std::string user_id, std::string player_ip, LaunchOptions options);

 private:
  store::UserRepository& users_;
  std::shared_ptr<GameProvider> provider_;
  mutable std::mutex mutex_;
  std::shared_ptr<const GameCatalogue> catalogue_;
};

// Refreshes the lobby's game list now and then every `interval`; after a failure, sooner (30 s, doubling up
// to `interval`). Runs until its executor stops.
Awaitable<void> keep_games_fresh(CasinoLobby& lobby, std::chrono::milliseconds interval);

}  // namespace b2w::casino
