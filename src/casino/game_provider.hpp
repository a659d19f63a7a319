#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "store/db/database.hpp"

// What the lobby needs of an aggregator's outbound API, in no aggregator's words: its game list and a game
// launch. Each adapter (casino/fundist_api, later others) implements it.
namespace b2w::casino {

template <typename T>
using Awaitable = store::Awaitable<T>;

struct CasinoGame {
  std::string id;  // ours: "<aggregator>:<the aggregator's game id>"
  std::string name;
  std::string provider;   // the game studio as players know it ("Pragmatic Play")
  std::string category;   // the first of the aggregator's categories, by name
  std::string thumbnail;  // an absolute image URL; empty when the aggregator has none
  bool has_demo = false;
  bool mobile = false;        // launchable on a phone
  std::int64_t position = 0;  // the aggregator's lobby order (smaller first)
  // What the adapter needs to launch it (Fundist: the merchant id and page codes).
  std::string provider_id;
  std::string launch_code;
  std::string mobile_launch_code;
};

struct LaunchRequest {
  std::string user_id;   // ours
  std::string currency;  // NGN
  std::string player_ip;
  bool mobile = false;
  bool demo = false;
  std::string language = "en";
  std::string session_id;  // ours, echoed back by the aggregator in its callbacks
};

class GameProvider {
 public:
  virtual ~GameProvider() = default;
  // Throws domain::Error (upstream_failed: refused or answered nonsense; unavailable: down or slow).
  virtual Awaitable<std::vector<CasinoGame>> games() = 0;
  // The HTML fragment that starts the game in the player's browser (an iframe or a redirect script).
  virtual Awaitable<std::string> launch(const CasinoGame& game, const LaunchRequest& request) = 0;
};

}  // namespace b2w::casino
