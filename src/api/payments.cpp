#include "api/payments.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/actor.hpp"
#include "api/json_input.hpp"
#include "api/pagination.hpp"
#include "http/api_error.hpp"
#include "http/response.hpp"
#include "observability/log.hpp"
#include "util/time.hpp"

namespace b2w::api {

using http::ApiError;
using http::Awaitable;
using http::Response;
using http::Status;

namespace {

// Money fields are JSON integers in kobo: 5000.0, "5000" and 50.5 are all refused.
std::int64_t amount_of(const boost::json::object& body) {
  if (auto amount = kobo(body, "amount")) return *amount;
  throw ApiError(Status::unprocessable_entity, "invalid_amount", "The amount must be an integer number of kobo")
      .detail("amount", "must be an integer (kobo)");
}

std::string masked(const std::optional<std::string>& account) {
  if (!account || account->size() < 4) return "****";
  return std::string(account->size() - 4, '*') + account->substr(account->size() - 4);
}

boost::json::object withdrawal_json(const store::Payment& p) {
  return {{"id", p.id},
          {"status", domain::to_string(p.status)},
          {"amount", p.amount},
          {"currency", p.currency},
          {"reference", p.reference},
          {"bank_code", p.bank_code.value_or("")},
          {"account_number", masked(p.account_number)},
          {"account_name", p.account_name ? boost::json::value(*p.account_name) : boost::json::value(nullptr)},
          {"review_reason", p.review_reason ? boost::json::value(*p.review_reason) : boost::json::value(nullptr)},
          {"payout_account_id",
           p.payout_account_id ? boost::json::value(*p.payout_account_id) : boost::json::value(nullptr)},
          {"created_at", rfc3339(p.created_at)},
          {"updated_at", rfc3339(p.updated_at)}};
}

std::optional<domain::PaymentStatus> status_filter(const Call& call) {
  auto text = call.ctx.query_param("status");
  if (!text) return std::nullopt;
  if (auto status = domain::parse_payment_status(*text)) return status;
  throw ApiError::validation().detail("status",
                                      "must be one of pending, awaiting_review, completed, failed, reversed, rejected");
}

}  // namespace

RouteHandler start_deposit(payments::PaymentService& service) {
  return [&service](Call call) -> Awaitable<Response> {
    const auto amount = amount_of(call.body());
    const auto started = co_await service.start_deposit(call.user.sub, amount, call.idempotency_key);
    co_return http::json_response(Status::created,
                                  boost::json::object{{"id", started.payment.id},
                                                      {"reference", started.payment.reference},
                                                      {"authorization_url", started.authorization_url},
                                                      {"status", domain::to_string(started.payment.status)},
                                                      {"amount", started.payment.amount},
                                                      {"currency", started.payment.currency}});
  };
}

RouteHandler request_withdrawal(payments::PaymentService& service) {
  return [&service](Call call) -> Awaitable<Response> {
    const auto body = call.body();
    const auto amount = amount_of(body);
    // Withdrawals go to a saved payout account only (its holder resolved and compared with the player's name):
    // the bank details typed into the withdrawal, as before issue 21, are refused with a pointer to the new way.
    Validation v;
    auto payout_account = v.string(body, "payout_account_id", false);
    v.check();
    if (!payout_account || payout_account->empty())
      throw ApiError(Status::unprocessable_entity, "payout_account_required",
                     "Save the bank account with POST /wallet/payout-accounts, then withdraw to its payout_account_id")
          .detail("payout_account_id", "required: the id of one of your saved payout accounts");
    // A named argument: GCC 12 copies braced temporaries passed to coroutines bitwise.
    payments::PaymentService::WithdrawalRequest request{amount, *payout_account};
    auto p = co_await service.request_withdrawal(call.user.sub, std::move(request), call.idempotency_key);
    co_return http::json_response(Status::created, withdrawal_json(p));
  };
}

RouteHandler own_withdrawal(payments::PaymentService& service) {
  return [&service](Call call) -> Awaitable<Response> {
    auto p = co_await service.withdrawal_of(call.user.sub, call.param("id"));
    co_return http::json_response(Status::ok, withdrawal_json(p));
  };
}

RouteHandler paystack_webhook(payments::PaymentService& service, std::vector<IpNetwork> allowed_sources) {
  return [&service, allowed_sources = std::move(allowed_sources)](Call call) -> Awaitable<Response> {
    if (!allowed_sources.empty() && !in_any(allowed_sources, call.ctx.client_ip)) {
      log::warn("paystack webhook refused: source not allowed").str("ip", call.ctx.client_ip);
      throw ApiError(Status::forbidden, "webhook_source_not_allowed", "Webhooks are not accepted from this address");
    }
    const auto signature = call.ctx.request["x-paystack-signature"];
    co_await service.handle_webhook(call.ctx.request.body(), std::string_view(signature.data(), signature.size()));
    co_return http::json_response(Status::ok, boost::json::object{{"received", true}});
  };
}

RouteHandler review_queue(payments::PaymentService& service) {
  return [&service](Call call) -> Awaitable<Response> {
    const auto page = page_request(call.ctx);
    auto rows = co_await service.withdrawals(status_filter(call), page.limit + 1, page.after);
    co_return http::json_response(Status::ok,
                                  page_json(
                                      rows, page, [](const store::Payment& p) { return std::pair(p.created_at, p.id); },
                                      [](const store::Payment& p) {
                                        auto item = withdrawal_json(p);
                                        item["user_id"] = p.user_id;
                                        return item;
                                      }));
  };
}

RouteHandler approve_withdrawal(payments::PaymentService& service) {
  return [&service](Call call) -> Awaitable<Response> {
    auto p = co_await service.approve_withdrawal(call.param("id"), actor_of(call));
    co_return http::json_response(Status::ok, withdrawal_json(p));
  };
}

RouteHandler reject_withdrawal(payments::PaymentService& service) {
  return [&service](Call call) -> Awaitable<Response> {
    auto p = co_await service.reject_withdrawal(call.param("id"), actor_of(call));
    co_return http::json_response(Status::ok, withdrawal_json(p));
  };
}

}  // namespace b2w::api
