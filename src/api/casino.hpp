#pragma once
#include <string>
#include <vector>

#include "api/route_table.hpp"
#include "casino/lobby.hpp"
#include "casino/reports.hpp"
#include "casino/wallet.hpp"
#include "util/ip_network.hpp"

namespace b2w::api {

struct FundistCallbackOptions {
  std::string hmac_secret;                 // FUNDIST_HMAC_SECRET; empty: every callback is refused
  std::vector<IpNetwork> allowed_callers;  // FUNDIST_CALLBACK_NETWORKS; empty: any caller (the hmac decides)
};

// POST /casino/fundist/callback: Fundist's seamless-wallet calls (casino/fundist.hpp). Always 200 with a
// signed JSON body, as Fundist expects; errors are {"error": ...}.
RouteHandler fundist_callback(casino::CasinoWallet& wallet, FundistCallbackOptions options);

// GET /casino/games?provider&category&search&mobile: the lobby's games in its order (cursor pages); public,
// cached a minute by clients and proxies.
RouteHandler casino_games(casino::CasinoLobby& lobby);
// POST /casino/sessions {game_id, mobile?, demo?, language?}: launches a game for the signed-in player; 201
// {session_id, html}.
RouteHandler start_casino_session(casino::CasinoLobby& lobby);

// GET /casino/rounds: the signed-in player's rounds, newest first (cursor pages).
RouteHandler own_rounds(casino::CasinoReports& reports);
// GET /admin/casino/summary?from&to: stakes, wins and GGR per aggregator and game.
RouteHandler casino_summary(casino::CasinoReports& reports);

}  // namespace b2w::api
