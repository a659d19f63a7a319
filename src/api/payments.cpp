#include "api/payments.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/idempotency.hpp"
#include "api/json_input.hpp"
#include "api/pagination.hpp"
#include "api/authenticate.hpp"
#include "domain/text.hpp"
#include "http/api_error.hpp"
#include "http/response.hpp"
#include "util/time.hpp"

namespace b2w::api {

using http::ApiError;
using http::Awaitable;
using http::RequestContext;
using http::Response;
using http::Status;

namespace {

// Money fields are JSON integers in kobo: 5000.0, "5000" and 50.5 are all refused.
std::int64_t amount_of(const boost::json::object& body) {
  const auto* v = body.if_contains("amount");
  if (v && v->is_int64()) return v->as_int64();
  if (v && v->is_uint64()) return -1;  // beyond int64: out of range
  throw ApiError(Status::unprocessable_entity, "invalid_amount", "The amount must be an integer number of kobo")
      .detail("amount", "must be an integer (kobo)");
}

bool all_digits(const std::string& s, std::size_t min, std::size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
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
          {"created_at", rfc3339(p.created_at)},
          {"updated_at", rfc3339(p.updated_at)}};
}

Response created(const boost::json::object& body) {
  auto res = http::json_response(Status::created, body);
  res.set(http::Field::cache_control, "no-store");
  return res;
}

}  // namespace

void register_payments(http::Router& router, const std::string& root, PaymentRoutes d) {
  router.add(http::Verb::post, root + "/wallet/deposits", [d](RequestContext& ctx) -> Awaitable<Response> {
    const auto claims = co_await d.auth.current_user(ctx);
    co_return co_await idempotent(d.idempotency, ctx, claims.sub, [&]() -> Awaitable<Response> {
      const auto body = ctx.json_body();
      const auto amount = amount_of(body.as_object());
      const auto started = co_await d.service.start_deposit(claims.sub, amount, idempotency_key(ctx));
      co_return created({{"id", started.payment.id},
                         {"reference", started.payment.reference},
                         {"authorization_url", started.authorization_url},
                         {"status", domain::to_string(started.payment.status)},
                         {"amount", started.payment.amount},
                         {"currency", started.payment.currency}});
    });
  });

  router.add(http::Verb::post, root + "/wallet/withdrawals", [d](RequestContext& ctx) -> Awaitable<Response> {
    const auto claims = co_await d.auth.current_user(ctx);
    co_return co_await idempotent(d.idempotency, ctx, claims.sub, [&]() -> Awaitable<Response> {
      const auto body = ctx.json_body();
      const auto& o = body.as_object();
      const auto amount = amount_of(o);
      Validation v;
      auto bank = v.string(o, "bank_code", true);
      auto account = v.string(o, "account_number", true);
      auto name = v.string(o, "account_name", false);
      if (bank && !all_digits(*bank, 3, 6)) v.fail("bank_code", "must be Paystack's bank code (3 to 6 digits)");
      if (account && !all_digits(*account, 10, 10)) v.fail("account_number", "must be a 10-digit NUBAN account number");
      if (name)
        if (auto problem = domain::display_text_problem(*name, 100)) v.fail("account_name", *problem);
      v.check();
      // A named argument: GCC 12 copies braced temporaries passed to coroutines bitwise.
      payments::PaymentService::WithdrawalRequest request{amount, *bank, *account, name.value_or("")};
      const auto key = idempotency_key(ctx);
      auto p = co_await d.service.request_withdrawal(claims.sub, std::move(request), key);
      co_return created(withdrawal_json(p));
    });
  });

  router.add(http::Verb::get, root + "/wallet/withdrawals/{id}", [d](RequestContext& ctx) -> Awaitable<Response> {
    const auto claims = d.auth.user(ctx);
    const std::string id(ctx.param("id"));
    auto p = co_await d.payments.find(id);
    // Someone else's withdrawal does not exist, as far as this caller can tell.
    if (!p || p->kind != domain::PaymentKind::withdrawal || p->user_id != claims.sub) throw ApiError::not_found("No withdrawal with this id");
    co_return http::json_response(Status::ok, withdrawal_json(*p));
  });

  router.add(http::Verb::post, webhook_path(root), [d](RequestContext& ctx) -> Awaitable<Response> {
    const auto signature = ctx.request["x-paystack-signature"];
    if (!d.paystack.signature_valid(ctx.request.body(), std::string_view(signature.data(), signature.size())))
      throw ApiError(Status::unauthorized, "invalid_signature", "The webhook signature is missing or wrong");
    co_await d.service.handle_event(ctx.request.body());
    co_return http::json_response(Status::ok, boost::json::object{{"received", true}});
  });

  router.add(http::Verb::get, root + "/admin/withdrawals", [d](RequestContext& ctx) -> Awaitable<Response> {
    co_await d.auth.admin(ctx);
    const auto page = page_request(ctx);
    std::optional<domain::PaymentStatus> status;
    if (auto text = ctx.query_param("status")) {
      status = domain::parse_payment_status(*text);
      if (!status)
        throw ApiError::validation().detail(
            "status", "must be one of pending, awaiting_review, completed, failed, reversed, rejected");
    }
    auto rows = co_await d.payments.list(domain::PaymentKind::withdrawal, status, page.limit + 1, page.after);
    const bool more = static_cast<int>(rows.size()) > page.limit;
    if (more) rows.pop_back();
    boost::json::array data;
    for (const auto& p : rows) {
      auto item = withdrawal_json(p);
      item["user_id"] = p.user_id;
      data.push_back(std::move(item));
    }
    boost::json::value next = nullptr;
    if (more) next = encode_cursor(rows.back().created_at, rows.back().id);
    co_return http::json_response(Status::ok, boost::json::object{{"data", std::move(data)}, {"next_cursor", next}});
  });

  router.add(http::Verb::post, root + "/admin/withdrawals/{id}/approve", [d](RequestContext& ctx) -> Awaitable<Response> {
    co_await d.auth.admin(ctx);
    co_return http::json_response(Status::ok, withdrawal_json(co_await d.service.approve_withdrawal(std::string(ctx.param("id")))));
  });

  router.add(http::Verb::post, root + "/admin/withdrawals/{id}/reject", [d](RequestContext& ctx) -> Awaitable<Response> {
    co_await d.auth.admin(ctx);
    co_return http::json_response(Status::ok, withdrawal_json(co_await d.service.reject_withdrawal(std::string(ctx.param("id")))));
  });
}

}  // namespace b2w::api
