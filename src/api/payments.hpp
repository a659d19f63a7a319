#pragma once
#include "api/authenticate.hpp"
#include "http/router.hpp"
#include "payments/paystack.hpp"
#include "payments/service.hpp"
#include "store/idempotency.hpp"
#include "store/payments.hpp"

namespace b2w::api {

struct PaymentRoutes {
  payments::PaymentService& service;
  store::PaymentRepository& payments;
  store::IdempotencyStore& idempotency;
  const payments::PaystackClient& paystack;
  const api::Authenticator& auth;
};

// POST /wallet/deposits, POST /wallet/withdrawals, GET /wallet/withdrawals/{id},
// POST /payments/paystack/webhook, GET /admin/withdrawals, POST /admin/withdrawals/{id}/approve|reject.
void register_payments(http::Router& router, const std::string& root, PaymentRoutes deps);

// The webhook path, exempt from per-IP rate limits (it is authenticated by its signature).
inline std::string webhook_path(const std::string& root) { return root + "/payments/paystack/webhook"; }

}  // namespace b2w::api
