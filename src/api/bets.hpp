#pragma once
#include "api/authenticate.hpp"
#include "http/router.hpp"
#include "sportsbook/bets.hpp"

namespace b2w::api {

// POST /bets (Idempotency-Key), GET /bets, GET /bets/{id}: the caller's own bets only.
// Placing a bet checks the caller against the database (api::Authenticator::current_user).
void register_bets(http::Router& router, const std::string& root, sportsbook::Bets& bets,
                   const api::Authenticator& authn);

}  // namespace b2w::api
