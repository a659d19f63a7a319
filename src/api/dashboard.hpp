#pragma once
#include "api/route_table.hpp"
#include "payments/dashboard.hpp"

namespace b2w::api {

// GET /admin/dashboard?date=YYYY-MM-DD (a Lagos day; default today): the book's turnover and GGR, money in and
// out, active players, and the open bets' stakes and liability now.
RouteHandler dashboard(payments::Dashboard& dashboard);

}  // namespace b2w::api
