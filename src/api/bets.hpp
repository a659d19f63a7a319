#pragma once
#include "api/route_table.hpp"
#include "sportsbook/bets.hpp"
#include "sportsbook/live_bets.hpp"

namespace b2w::api {

// POST /bets: the slip checked for types and shapes here, for the rules by sportsbook::Bets. A pending
// (in-play) bet is also scheduled for its check on this task when its delay ends.
RouteHandler place_bet(sportsbook::Bets& bets, sportsbook::LiveBets& live_bets);
// GET /bets, GET /bets/{id}: the caller's own bets only.
RouteHandler own_bets(sportsbook::Bets& bets);
RouteHandler own_bet(sportsbook::Bets& bets);

}  // namespace b2w::api
