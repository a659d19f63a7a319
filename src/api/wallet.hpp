#pragma once
#include "auth/tokens.hpp"
#include "http/router.hpp"
#include "store/ledger.hpp"

namespace b2w::api {

// GET /wallet, GET /wallet/transactions.
void register_wallet(http::Router& router, const std::string& root, store::LedgerRepository& ledger,
                     const auth::TokenService& tokens);

}  // namespace b2w::api
