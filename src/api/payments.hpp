#pragma once
#include <vector>

#include "api/route_table.hpp"
#include "payments/service.hpp"
#include "util/ip_network.hpp"

namespace b2w::api {

// POST /wallet/deposits (idempotent).
RouteHandler start_deposit(payments::PaymentService& service);
// POST /wallet/withdrawals (idempotent).
RouteHandler request_withdrawal(payments::PaymentService& service);
// GET /wallet/withdrawals/{id}: the caller's own.
RouteHandler own_withdrawal(payments::PaymentService& service);
// POST /payments/paystack/webhook: authenticated by its signature, not a token; when `allowed_sources` is not
// empty (PAYSTACK_WEBHOOK_IPS), only from a client address inside it.
RouteHandler paystack_webhook(payments::PaymentService& service, std::vector<IpNetwork> allowed_sources);
// GET /admin/withdrawals, POST /admin/withdrawals/{id}/approve, /reject.
RouteHandler review_queue(payments::PaymentService& service);
RouteHandler approve_withdrawal(payments::PaymentService& service);
RouteHandler reject_withdrawal(payments::PaymentService& service);

}  // namespace b2w::api
