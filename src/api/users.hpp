#pragma once
#include "api/route_table.hpp"
#include "limits/player_controls.hpp"
#include "limits/player_limits.hpp"
#include "store/users.hpp"

namespace b2w::api {

// GET /users/me.
RouteHandler current_user(store::UserRepository& users);
// PATCH /users/me {date_of_birth}: once per account; 200 with the user.
RouteHandler update_current_user(limits::PlayerControls& controls);
// POST /users/me/self-exclusion {period}: 200 {exclusion}; cannot be lifted early.
RouteHandler self_exclude(limits::PlayerControls& controls);
// GET /users/me/activity?period=day|week|month|year (default month): deposits, withdrawals, stakes, returns, net.
RouteHandler activity(limits::PlayerControls& controls);
// The nine limits as the API shows them: {currency, cooling_off_seconds, limits: [{kind, period, amount, pending}]}.
boost::json::object limits_json(const std::vector<store::StoredLimit>& limits, std::chrono::milliseconds cooling_off);
// A body's {limits: [{kind, period, amount|null}]} (1 to 9); 422 validation_error naming the faulty entries.
std::vector<limits::LimitRequest> limit_requests(const boost::json::object& body);

// GET /users/me/limits: the nine deposit, stake and loss limits (day, week, month) with any pending change.
RouteHandler player_limits(limits::PlayerLimits& limits);
// PUT /users/me/limits {limits: [{kind, period, amount|null}]}: lower at once, higher or removed after cooling-off.
RouteHandler change_player_limits(limits::PlayerLimits& limits);

}  // namespace b2w::api
