#pragma once
#include "auth/tokens.hpp"
#include "http/router.hpp"
#include "sportsbook/bets.hpp"

namespace b2w::api {

// POST /bets (Idempotency-Key), GET /bets, GET /bets/{id}: the caller's own bets only.
void register_bets(http::Router& router, const std::string& root, sportsbook::Bets& bets, const auth::TokenService& tokens);

}  // namespace b2w::api
