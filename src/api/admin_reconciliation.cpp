#include "api/admin_reconciliation.hpp"

#include "http/api_error.hpp"
#include "http/response.hpp"

namespace b2w::api {

RouteHandler daily_reconciliation(payments::DailyReconciliation& reconciliation) {
  return [&reconciliation](Call call) -> http::Awaitable<http::Response> {
    const auto text = call.ctx.query_param("date");
    if (!text) throw http::ApiError::validation().detail("date", "is required (YYYY-MM-DD, a day in Lagos)");
    const auto date = domain::parse_date(*text);
    if (!date) throw http::ApiError::validation().detail("date", "must be a date as YYYY-MM-DD");
    const auto report = co_await reconciliation.run(*date);
    co_return http::json_response(http::Status::ok, payments::report_json(report));
  };
}

}  // namespace b2w::api
