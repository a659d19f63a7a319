#pragma once
#include "api/route_table.hpp"
#include "payments/daily_reconciliation.hpp"

namespace b2w::api {

// GET /admin/reconciliation?date=YYYY-MM-DD: the daily reconciliation of one Lagos day (the same report as
// `bet2wealth reconcile --json`). 422 for a missing, malformed or future date; 503 when Paystack cannot answer.
RouteHandler daily_reconciliation(payments::DailyReconciliation& reconciliation);

}  // namespace b2w::api
