#pragma once
#include "api/route_table.hpp"
#include "players/player_admin.hpp"

namespace b2w::api {

// GET /admin/users?q=&limit=&cursor=: players by id, email or phone, in id order.
RouteHandler find_players(players::PlayerAdmin& admin);
// GET /admin/users/{id}: profile, KYC tier, exclusion, limits, wallet balances and the wallet's newest entries.
RouteHandler player_detail(players::PlayerAdmin& admin, std::chrono::milliseconds cooling_off);
// POST /admin/users/{id}/lock and /unlock {reason}.
RouteHandler lock_player(players::PlayerAdmin& admin, bool lock);
// POST /admin/users/{id}/limits {limits: [{kind, period, amount}], reason}: lowers only.
RouteHandler lower_player_limits(players::PlayerAdmin& admin, std::chrono::milliseconds cooling_off);
// PUT /admin/users/{id}/tier {tier: 0|1|2|null, reason}: an operator's KYC tier, or null to follow the proofs again.
RouteHandler set_player_tier(players::PlayerAdmin& admin);

}  // namespace b2w::api
