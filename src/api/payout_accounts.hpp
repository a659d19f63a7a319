#pragma once
#include "api/route_table.hpp"
#include "payments/payout_accounts.hpp"

namespace b2w::api {

// GET /wallet/banks: the banks a payout account may be at, from Paystack's list (cached).
RouteHandler list_banks(payments::PayoutAccounts& accounts);
// GET /wallet/payout-accounts, POST /wallet/payout-accounts {bank_code, account_number},
// DELETE /wallet/payout-accounts/{id}: the caller's own.
RouteHandler list_payout_accounts(payments::PayoutAccounts& accounts);
RouteHandler save_payout_account(payments::PayoutAccounts& accounts);
RouteHandler remove_payout_account(payments::PayoutAccounts& accounts);

// The checks of a bank code and a NUBAN account number (the withdrawal form made them before payout accounts).
bool is_bank_code(const std::string& code);        // Paystack's bank code: 3 to 6 digits
bool is_nuban(const std::string& account_number);  // 10 digits

}  // namespace b2w::api
