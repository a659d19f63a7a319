#pragma once
#include "api/route_table.hpp"
#include "store/ledger.hpp"

namespace b2w::api {

// GET /wallet: the caller's balances.
RouteHandler wallet_balances(store::LedgerRepository& ledger);
// GET /wallet/transactions: the caller's wallet lines, newest first, a page at a time.
RouteHandler wallet_transactions(store::LedgerRepository& ledger);

}  // namespace b2w::api
